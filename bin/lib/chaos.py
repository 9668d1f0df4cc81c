"""bin/chaos: fault-injection scenarios on real processes, each under load, each ending with the invariants
checked against the topic itself. Run through bin/chaos, which provides the cluster and the environment."""
import json
import math
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from chaos_rig import (ADMIN_CONFIG, ADMIN_TOKEN, BOOTSTRAP, INGEST_TOKEN, DB, ENV, WORK, Load, PgProxy, Probes, Service,  # noqa
                       WebhookReceiver, change_numbers, end_offsets, kafka, leaders, local_ports, log, psql, request,
                       statement, topic_contents)

QUICK = ENV.get("CHAOS_QUICK") == "1"
TOTAL = int(ENV.get("CHAOS_STATEMENTS", "15000" if QUICK else "50000"))
RATE = float(ENV.get("CHAOS_RATE", "1200"))
PORT = int(ENV["CHAOS_PORT"])  # ingest PORT, status PORT+1.., proxy PORT+10, webhook receiver PORT+11
RUN = str(int(time.time()))
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


class System:
    """Booted once for the whole run: ingest and N status instances (one consumer group) on one topic, the
    database behind a proxy that can be cut. Scenarios run one after the other against it, and each checks
    the invariants over everything the topic holds so far."""

    def __init__(self, instances=3):
        self.topic = f"chaos-{RUN}"
        psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", db="postgres")
        psql(f"CREATE DATABASE {DB}", db="postgres")
        self.proxy = PgProxy(PORT + 10)
        # One webhook endpoint for the whole run (changes of relationships with PRK, about a tenth of the load):
        # every scenario also checks that each change was delivered and the change-event topic is complete.
        self.receiver = WebhookReceiver(PORT + 11)
        self.changes_topic = f"relationship-changes-{self.topic}"
        self.endpoint = None
        base = {"KAFKA_BOOTSTRAP_SERVERS": BOOTSTRAP, "PARLEY_TOPIC": self.topic,
                "PARLEY_TOPIC_REPLICATION_FACTOR": "3", "PARLEY_TOPIC_MIN_INSYNC_REPLICAS": "2",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION": "dev-jwt/public.pem", "MP_JWT_VERIFY_ISSUER": "parley-development",
                "PARLEY_ADMIN_TOKENS": ADMIN_TOKEN,
                "PARLEY_ALLOW_DEVELOPMENT_TOKENS": "true",  # a throwaway local system
                "QUARKUS_DATASOURCE_JDBC_URL": f"jdbc:postgresql://127.0.0.1:{PORT + 10}/{DB}",
                "QUARKUS_DATASOURCE_USERNAME": "parley", "QUARKUS_DATASOURCE_PASSWORD": ENV.get("PGPASSWORD", "parley")}
        self.ingest = Service("ingest-service", PORT, {**base, "PARLEY_KAFKA_USERNAME": ENV["CHAOS_KAFKA_INGEST_USER"],
                                                      "PARLEY_KAFKA_PASSWORD": ENV["CHAOS_KAFKA_INGEST_PASSWORD"]}, "ingest")
        # A shorter session and poll interval than the defaults, so that a stopped instance loses its
        # partitions within seconds (the zombie scenario) rather than 45 s.
        # Dead letters under "dlq-" and change events under "relationship-changes-": the development ACLs let
        # status-service write there, never a statements topic.
        status_env = {**base, "PARLEY_CONSUMER_GROUP": self.topic, "PARLEY_DLQ_TOPIC": f"dlq-{self.topic}",
                      "PARLEY_KAFKA_USERNAME": ENV["CHAOS_KAFKA_STATUS_USER"],
                      "PARLEY_KAFKA_PASSWORD": ENV["CHAOS_KAFKA_STATUS_PASSWORD"], "KAFKA_SESSION_TIMEOUT_MS": "10000",
                      "KAFKA_HEARTBEAT_INTERVAL_MS": "2000", "KAFKA_MAX_POLL_INTERVAL_MS": "15000",
                      # A loopback receiver, and a 5 s attempt timeout: an attempt cut by a kill is claimed
                      # again when its lease (2 × timeout + 30 s) ends, 40 s instead of 60 s.
                      "PARLEY_CHANGES_TOPIC": self.changes_topic, "PARLEY_WEBHOOKS_ALLOW_HTTP": "true",
                      "PARLEY_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "true", "PARLEY_WEBHOOKS_TIMEOUT": "5s"}
        self.status = [Service("status-service", PORT + 1 + i,
                               {**status_env, "PARLEY_CONSUMER_INSTANCE_ID": f"chaos-{i + 1}"},
                               f"status-{i + 1}") for i in range(instances)]
        self.deleted = False

    def boot(self):
        log(f"starting ingest-service and {len(self.status)} status-service instances on topic {self.topic}")
        # The first instance migrates the empty database; the others join once it is ready.
        self.ingest.start()
        self.status[0].start()
        self.status[0].await_ready(300)
        for s in self.status[1:]:
            s.start()
        for s in [self.ingest, *self.status[1:]]:
            s.await_ready(300)
        code, _, body = request("POST", self.status[0].port, "/admin/webhooks", json.dumps(
            {"url": self.receiver.url(), "parties": ["PRK"]}), {**ADMIN, "Content-Type": "application/json"})
        if code != 201:
            raise RuntimeError(f"registering the webhook endpoint answered {code}: {body}")
        self.endpoint = json.loads(body)
        self.receiver.secret = self.endpoint["secret"]
        # One known relationship for the read probes, visible before any load.
        deadline = time.time() + 120
        while True:
            code, _, body = request("POST", self.ingest.port, "/events", json.dumps(statement(("PRK", "USA"))),
                                    {"Authorization": f"Bearer {INGEST_TOKEN}", "Content-Type": "application/json"})
            if code == 202 or time.time() > deadline:
                break
            time.sleep(1)
        if code != 202:
            raise RuntimeError(f"seed statement answered {code}: {body}")
        while request("GET", self.status[0].port, "/relationships/PRK/USA")[0] != 200:
            if time.time() > deadline:
                raise RuntimeError("seed statement not visible within 120 s")
            time.sleep(0.2)

    def heal(self):
        """Every process running and ready, the proxy open, every broker up (after a scenario that failed)."""
        if not self.proxy.up:
            self.proxy.restore()
        if "not running" in kafka("status", check=False):
            kafka("start", "--brokers", "3", timeout=300)
        for s in [self.ingest, *self.status]:
            s.signal(signal.SIGCONT)
            if not s.alive():
                s.start()
        for s in [self.ingest, *self.status]:
            s.await_ready(300)

    def close(self):
        for s in [self.ingest, *self.status]:
            s.stop()
        if self.proxy.up:
            self.proxy.cut()
        self.receiver.close()
        kafka("tool", "org.apache.kafka.tools.TopicCommand", "--bootstrap-server", BOOTSTRAP, "--command-config",
              ADMIN_CONFIG, "--delete", "--if-exists", "--topic", f"(dlq-|relationship-changes-)?{self.topic}",
              check=False, timeout=120)


class Scenario:
    """One fault under load, then the invariants over the whole topic."""

    def __init__(self, name, system):
        self.name, self.sys = name, system
        self.topic, self.ingest, self.status, self.proxy = system.topic, system.ingest, system.status, system.proxy
        self.faults, self.notes, self.failures, self.allowed_read_errors = [], [], [], []
        self.cleared = None
        self.load = self.probes = None
        self.cut = set()  # webhook-ids whose attempt was in flight from an instance when it was killed

    def start_load(self, total=TOTAL):
        self.probes = Probes(self.status, "/relationships/PRK/USA").start()
        self.load = Load(self.ingest.port, total, RATE).start()
        self.total = total

    def at(self, fraction):
        """Sleeps until this fraction of the load's planned duration has passed."""
        wait = self.load.started + fraction * self.total / RATE - time.time()
        if wait > 0:
            time.sleep(wait)

    def fault(self, text):
        self.faults.append(text)
        log(f"[{self.name}] {text}")

    def restart(self, s):
        s.start()
        return s

    def await_all_ready(self, timeout=300):
        for s in self.status:
            if not s.alive():
                s.start()
        for s in [self.ingest, *self.status]:
            s.await_ready(timeout)

    def finish(self, converge_timeout=300):
        self.load.join()
        if self.cleared is None:
            self.cleared = time.time()
        self.await_all_ready()
        time.sleep(6)  # any producer retry still in flight lands within the delivery timeout (5 s)
        per_rel, _ = topic_contents(self.topic)
        in_topic = set().union(*per_rel.values()) if per_rel else set()
        start = max(self.cleared, self.load.finished)
        # Caught up = the positions stored with the projections reached the topic's end offsets.
        ends = sum(end_offsets(self.topic).values())
        deadline, converged = time.time() + converge_timeout, None
        while time.time() < deadline:
            stored_position = int(psql("SELECT coalesce(sum(next_offset), 0) FROM consumer_offset "
                                       f"WHERE topic = '{self.topic}'") or 0)
            if stored_position >= ends:
                converged = time.time()
                break
            time.sleep(0.5)
        self.probes.stop()
        stored = set(psql("SELECT event_id FROM statement", timeout=300).split())
        rows = dict(line.split("|") for line in psql(
            "SELECT relationship_id, count(*) FROM statement GROUP BY relationship_id").splitlines())
        counts = dict(line.split("|") for line in psql("SELECT id, event_count FROM relationship").splitlines())
        counted = sum(int(c) for c in counts.values())
        acked = self.load.acked
        lost = len((acked & in_topic if self.sys.deleted else acked) - stored)
        lost_in_kafka = len(acked - in_topic)
        # A relationship counting a statement twice: more in effect than stored, or (topic intact) more than
        # the topic holds for it.
        duplicated = sum(max(0, int(c) - int(rows.get(rel, 0))) for rel, c in counts.items())
        if not self.sys.deleted:
            duplicated += sum(max(0, int(counts.get(rel, 0)) - len(ids)) for rel, ids in per_rel.items())
            mismatched = sum(1 for rel, ids in per_rel.items() if int(counts.get(rel, 0)) != len(ids))
            mismatched += sum(1 for rel in counts if rel not in per_rel)
        else:
            mismatched = sum(1 for rel, c in counts.items() if int(c) != int(rows.get(rel, 0)))
            deleted_acked = len(acked - in_topic)
            self.notes.append(f"{deleted_acked:,} acknowledged statements were deleted from the topic before "
                              f"being consumed (retention's effect, not counted as lost)")
            lost_in_kafka = 0
        read_5xx = sum(1 for t, _, st in self.probes.samples if st is not None and st >= 500
                       and not any(a <= t <= b for a, b in self.allowed_read_errors))
        if lost:
            self.failures.append(f"{lost} acknowledged statements missing from the projections")
        if lost_in_kafka:
            self.failures.append(f"{lost_in_kafka} acknowledged statements missing from the topic")
        if duplicated or mismatched:
            self.failures.append(f"{mismatched} relationships differ from the topic")
        if read_5xx:
            self.failures.append(f"{read_5xx} reads answered 5xx outside the documented window")
        # Inside it, a dependency that is down is a 503 (with Retry-After), never another 5xx.
        other_5xx = sum(1 for t, _, st in self.probes.samples if st is not None and st >= 500 and st != 503
                        and any(a <= t <= b for a, b in self.allowed_read_errors))
        if other_5xx:
            self.failures.append(f"{other_5xx} reads answered a 5xx other than 503 while the database was away")
        if converged is None:
            self.failures.append(f"projections did not catch up with the topic within {converge_timeout}s")
        if self.load.missing_retry_after:
            self.failures.append(f"{self.load.missing_retry_after} ingest 503s without Retry-After")
        changes = self.check_changes() if converged else "—"
        codes = self.load.codes
        return {
            "scenario": self.name,
            "load": f"{self.load.sent:,} in {self.load.finished - self.load.started:.0f} s",
            "faults": "; ".join(self.faults),
            "202s": f"{len(acked):,}",
            "counted": f"{counted:,} (topic {len(in_topic):,})",
            "lost": str(lost),
            "duplicated": str(duplicated),
            "read outage": f"{self.probes.outage():.1f} s",
            "ingest 503s / longest without 202": f"{codes.get(503, 0)} / {self.load.write_outage():.1f} s",
            "recovery": f"{converged - start:.1f} s" if converged else "—",
            "webhooks / change topic": changes,
            "result": "PASS" if not self.failures else "FAIL: " + "; ".join(self.failures),
            "notes": "; ".join(self.notes),
        }


    def check_changes(self, timeout=180):
        """Every committed change (the outbox, relationship_change) is on the change-event topic in change
        order per relationship (a duplicate repeats an earlier changeNumber, nothing else may go back), and
        every change of PRK was delivered to the endpoint with a 2xx, no webhook-id ever in flight twice."""
        rx, endpoint = self.sys.receiver, self.sys.endpoint
        deadline = time.time() + timeout
        while True:
            # Done = both readers of the outbox reached its end, and no delivery is pending (an attempt cut by a
            # kill waits for its lease, 40 s here).
            left = psql("SELECT (SELECT coalesce(max(change_seq), 0) FROM relationship_change) - "
                        f"(SELECT min(position) FROM change_cursor WHERE name IN ('webhooks', 'kafka:{self.sys.changes_topic}')),"
                        " (SELECT count(*) FROM webhook_delivery WHERE status = 'pending')")
            behind, pending = (int(x) for x in left.split("|"))
            if (behind <= 0 and pending == 0) or time.time() > deadline:
                break
            time.sleep(1)
        if behind > 0 or pending:
            self.failures.append(f"after {timeout} s the outbox readers were {behind} changes behind and "
                                 f"{pending} deliveries pending")
        outbox = {}
        for line in psql("SELECT relationship_id, string_agg(change_seq::text, ',' ORDER BY change_seq) "
                         "FROM relationship_change GROUP BY relationship_id", timeout=300).splitlines():
            rel, seqs = line.split("|")
            outbox[rel] = [int(x) for x in seqs.split(",")]
        topic = change_numbers(self.sys.changes_topic)
        duplicates = missing = backwards = 0
        for rel, expected in outbox.items():
            seen, newest, firsts = set(), 0, []
            for n in topic.get(rel, []):
                if n in seen:
                    duplicates += 1
                elif n < newest:
                    backwards += 1  # a change nobody had seen arriving after a later one
                else:
                    seen.add(n)
                    firsts.append(n)
                    newest = n
            missing += len(set(expected) - seen)
            if sorted(seen - set(expected)):
                self.failures.append(f"{rel}: change numbers on the topic that the outbox does not hold")
        changes = sum(len(v) for v in outbox.values())
        if missing:
            self.failures.append(f"{missing} changes missing from the change-event topic")
        if backwards:
            self.failures.append(f"{backwards} change events out of change order on the topic")
        # Deliveries: one per change of PRK after the endpoint's registration, each succeeded and received.
        wanted = int(psql("SELECT count(*) FROM relationship_change WHERE 'PRK' IN (party_a, party_b) AND change_seq > "
                          f"(SELECT from_change_seq FROM webhook_endpoint WHERE id = '{endpoint['id']}')"))
        rows = [line.split("|") for line in psql(
            "SELECT 'msg_' || id, status, attempts FROM webhook_delivery", timeout=120).splitlines()]
        undelivered = sum(1 for _, st, _ in rows if st != "succeeded")
        unseen = sum(1 for wid, _, _ in rows if wid not in rx.received)
        resent = sum(1 for wid, _, _ in rows if rx.received.get(wid, 0) > 1)
        if len(rows) != wanted:
            self.failures.append(f"{wanted} changes of PRK but {len(rows)} webhook deliveries")
        if undelivered or unseen:
            self.failures.append(f"{undelivered} deliveries not succeeded, {unseen} never received")
        if rx.overlaps:
            self.failures.append(f"{len(rx.overlaps)} webhook-ids were in flight twice at once")
        not_again = sorted(wid for wid in self.cut if rx.received.get(wid, 0) < 2)
        if not_again:
            self.failures.append(f"{len(not_again)} attempts cut by a kill were not made again ({not_again[:3]})")
        if self.cut:
            self.notes.append(f"{len(self.cut)} webhook attempts were in flight from the killed instances; each "
                              "arrived again later with its webhook-id")
        if rx.bad_signatures:
            self.failures.append(f"{rx.bad_signatures} webhook attempts with a bad signature")
        return (f"{len(rows):,} delivered ({resent} received more than once), "
                f"{len(rx.overlaps)} concurrent; topic {changes:,} changes, {missing} missing, {backwards} "
                f"out of order, {duplicates} duplicates")


def replay_state(s):
    code, _, body = request("GET", s.port, "/admin/replay", headers=ADMIN, timeout=2)
    try:
        return json.loads(body) if code == 200 else {}
    except ValueError:
        return {}


def await_replay_done(sc, timeout=240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for s in sc.status:
            if s.alive():
                st = replay_state(s).get("state")
                if st in ("DONE", "FAILED"):
                    return st
        time.sleep(0.5)
    return "TIMEOUT"


def replay_ended(sc):
    """Notes how the scenario's replay ended; anything but DONE (a stranded or failed replay) fails it."""
    state = await_replay_done(sc)
    sc.notes.append(f"replay ended {state}")
    if state != "DONE":
        sc.failures.append(f"the replay ended {state}, not DONE")
    return state


# --- scenarios ------------------------------------------------------------------------------------------


def kill_status(sc, kills=10):
    """kill -9 a status-service instance at random moments, ten times, three instances."""
    sc.start_load()
    span = sc.total / RATE
    for i in range(kills):
        time.sleep(random.uniform(0.3, 1.2) * span * 0.8 / kills)
        # One instance at a time, as a crash-looping node would: the others serve reads meanwhile, so the
        # read outage measures the service, not three instances restarting at once on two cores.
        deadline = time.time() + 120
        while sum(1 for s in sc.status if s.ready()) < len(sc.status) and time.time() < deadline:
            time.sleep(0.5)
        victim = random.choice(sc.status)
        victim.kill9()
        sc.fault(f"kill -9 {victim.tag.split('-', 1)[1]} at {time.time() - sc.load.started:.1f}s")
        sc.restart(victim)
    sc.await_all_ready()
    sc.cleared = time.time()
    sc.faults = [f"{kills}× kill -9 of a random status instance, each restarted"]


def kill_mid_delivery(sc, total=6000):
    """kill -9 two status instances in turn, each at a moment when the receiver holds at least one of its
    webhook attempts (the receiver answers after 1 s; the sender is told by the connection's port, mapped to
    the process through /proc); both restarted. check_changes then asks, beyond its usual checks, that each
    attempt the kills cut was made again with the same webhook-id."""
    rx = sc.sys.receiver
    rx.delay = 1.0
    try:
        sc.start_load(total=min(TOTAL, total))
        for i, victim in enumerate(sc.status[:2]):
            sc.at(0.3 + 0.4 * i)
            deadline = time.time() + 60
            cut = set()
            while not cut and time.time() < deadline:
                cut = rx.in_flight_from(local_ports(victim.proc.pid))
                if not cut:
                    time.sleep(0.05)
            victim.kill9()
            sc.fault(f"kill -9 {victim.tag.split('-', 1)[1]} with {len(cut)} of its webhook attempts in flight")
            sc.cut |= cut
            sc.restart(victim)
        sc.load.join()
    finally:
        rx.delay = 0.0
    if not sc.cut:
        sc.failures.append("no webhook attempt of the killed instances was in flight at either kill")
    sc.await_all_ready()
    sc.cleared = time.time()


def sigstop_zombie(sc):
    """SIGSTOP an instance past max.poll.interval.ms (15 s here) and the session timeout, then SIGCONT."""
    sc.start_load()
    sc.at(0.3)
    victim = random.choice(sc.status)
    mark = os.path.getsize(victim.log)
    victim.signal(signal.SIGSTOP)
    sc.fault(f"SIGSTOP {victim.tag.split('-', 1)[1]} for 25 s, then SIGCONT")
    time.sleep(25)
    victim.signal(signal.SIGCONT)
    sc.cleared = time.time()
    time.sleep(5)
    with open(victim.log) as f:
        f.seek(mark)
        after = f.read()
    fenced = "re-reading the stored offsets" in after or "fenc" in after.lower() or "Stale" in after
    sc.notes.append("zombie's late write fenced (logged)" if fenced else "no fenced write logged (the zombie may "
                    "have held no batch when stopped)")


def kill_leader(sc):
    """kill -9 the leader broker of the busiest partition under ingest load; restart it 20 s later."""
    sc.start_load()
    sc.at(0.35)
    busiest = max(sc.load.partitions, key=sc.load.partitions.get)  # from the 202 answers, no tool start
    leader = leaders(sc.topic).get(busiest)
    kafka("kill", str(leader))
    t = time.time()
    sc.fault(f"kill -9 broker {leader} (leader of busiest partition {busiest}); restarted after 20 s")
    time.sleep(20)
    kafka("start-node", str(leader), timeout=180)
    sc.cleared = time.time()
    sc.notes.append(f"partition leadership moved in {moved_after(sc, t):.1f} s")


def moved_after(sc, t):
    """Seconds from t to the first 202 answered after it (the writes' unavailability)."""
    later = sorted(end for _, end, code in sc.load.events if code == 202 and end > t)
    return (later[0] - t) if later else float("nan")


def broker_down(sc):
    """Stop the whole cluster for 30 s: ingest answers 503 + Retry-After, never 202; all resumes."""
    sc.start_load()
    sc.at(0.3)
    kafka("stop", timeout=120)
    down = time.time()
    sc.fault("all three brokers stopped for 30 s")
    time.sleep(30)
    up = time.time()
    kafka("start", "--brokers", "3", timeout=300)
    sc.cleared = time.time()
    accepted_while_down = sum(1 for sent, end, code in sc.load.events if code == 202 and sent > down + 1 and end < up)
    if accepted_while_down:
        sc.failures.append(f"{accepted_while_down} requests answered 202 while no broker ran")
    deadline = time.time() + 180
    while time.time() < deadline and math.isnan(moved_after(sc, up)):  # until a 202 lands
        time.sleep(0.5)
    sc.notes.append(f"first 202 {moved_after(sc, up):.1f} s after the brokers were started again")
    # Readiness goes DOWN without a broker; reads keep answering from PostgreSQL.


def pg_down(sc, during_switch=False):
    """Cut PostgreSQL (the proxy in front of it) for 30 s while consuming, or during a replay's switch."""
    sc.start_load()
    if during_switch:
        sc.at(0.5)
        start_replay(sc, sc.status[0])
        catch_state(sc, sc.status[0], ("SWITCHING",), 120)
    else:
        sc.at(0.3)
    sc.proxy.cut()
    cut = time.time()
    sc.fault("PostgreSQL cut for 30 s" + (" during the replay's switch" if during_switch else " while consuming"))
    time.sleep(30)
    sc.proxy.restore()
    sc.cleared = time.time()
    # Documented: reads answer 503 while the database is unreachable, and until the pool reconnects.
    sc.allowed_read_errors.append((cut, sc.cleared + 10))
    if during_switch:
        replay_ended(sc)


def delete_records(sc):
    """Records deleted ahead of the stored offsets (as retention would) while status-service is down."""
    sc.start_load()
    sc.at(0.3)
    for s in sc.status:
        s.kill9()
    time.sleep(5)
    ends = end_offsets(sc.topic)
    spec = {"version": 1, "partitions": [{"topic": sc.topic, "partition": p, "offset": o} for p, o in ends.items()]}
    path = f"{WORK}/{sc.name}-delete.json"
    with open(path, "w") as f:
        json.dump(spec, f)
    kafka("tool", "org.apache.kafka.tools.DeleteRecordsCommand", "--bootstrap-server", BOOTSTRAP,
          "--command-config", ADMIN_CONFIG, "--offset-json-file", path)
    deleted = sum(ends.values())
    sc.fault(f"status instances killed; DeleteRecords up to the end offsets ({deleted:,} records); restarted")
    for s in sc.status:
        s.start()
    restarted = time.time()
    # Held, not skipped: an instance that owns a partition with a gap reports it (log, readiness DOWN).
    deadline, detected = time.time() + 180, []
    while time.time() < deadline and not detected:
        time.sleep(1)
        detected = [s.tag for s in sc.status if gap_reported(s)]
    if not detected:
        sc.failures.append("records deleted ahead of the stored offsets were skipped without a report")
        return
    sc.notes.append(f"gap reported by {', '.join(detected)} {time.time() - restarted:.0f} s after the restart")
    # The operator's decision: those statements are gone for good; each instance goes on past its gaps.
    time.sleep(5)  # the other instances finish joining, so their partitions' gaps are held too
    answers = [request("POST", s.port, "/admin/history-gaps/acknowledge", headers=ADMIN)[0] for s in sc.status]
    sc.fault(f"gaps acknowledged (POST /admin/history-gaps/acknowledge → {answers})")
    sc.cleared = time.time()
    sc.notes.append("statements deleted from the topic before they were consumed are lost by design "
                    "(retention); 'lost' leaves them out")


def gap_reported(s):
    """The instance logged a history gap or its readiness names one."""
    try:
        with open(s.log) as f:
            text = f.read().lower()
    except OSError:
        text = ""
    return "history gap" in text or "statement-history" in s.readiness().lower() and "down" in s.readiness().lower()


def start_replay(sc, s):
    code, _, body = request("POST", s.port, "/admin/replay", headers=ADMIN)
    sc.fault(f"POST /admin/replay to {s.tag.split('-', 1)[1]} → {code}")
    return code


def catch_state(sc, s, states, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        st = replay_state(s)
        if st.get("state") in states:
            return st
        if st.get("state") in ("DONE", "FAILED"):
            sc.notes.append(f"replay reached {st.get('state')} before {'/'.join(states)} was seen")
            return st
        time.sleep(0.02)
    return {}


def replay_kill_switch(sc):
    """kill -9 the replaying instance during the switch; it must resume or start over, never corrupt."""
    sc.start_load()
    sc.at(0.5)
    a = sc.status[0]
    start_replay(sc, a)
    st = catch_state(sc, a, ("SWITCHING",), 180)
    a.kill9()
    sc.fault(f"kill -9 of the replaying instance in state {st.get('state', '?')}")
    a.start()
    a.await_ready()
    sc.cleared = time.time()
    replay_ended(sc)


def replay_lock_lost(sc):
    """The replay lock's session terminated (pg_terminate_backend), then a second POST to another instance."""
    sc.start_load()
    sc.at(0.5)
    a, b = sc.status[0], sc.status[1]
    start_replay(sc, a)
    catch_state(sc, a, ("RUNNING",), 60)
    killed = psql("SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l JOIN pg_stat_activity s "
                  "ON s.pid = l.pid WHERE l.locktype = 'advisory' AND s.datname = current_database()")
    sc.fault(f"pg_terminate_backend on the replay lock's session ({killed} in this database)")
    code = start_replay(sc, b)
    sc.cleared = time.time()
    sc.notes.append(f"second POST answered {code}")
    replay_ended(sc)
    runs = psql("SELECT string_agg(state, ',' ORDER BY id) FROM replay")
    sc.notes.append(f"replays: {runs}")


def reader_lock_switch(sc):
    """A long-running reader holds a lock on the live tables during the switch."""
    sc.start_load()
    sc.at(0.5)
    a = sc.status[0]
    start_replay(sc, a)
    catch_state(sc, a, ("RUNNING",), 60)
    reader = subprocess.Popen(["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "parley", "-d", DB, "-c",
                               "BEGIN; LOCK TABLE relationship IN ACCESS SHARE MODE; SELECT pg_sleep(25); COMMIT;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sc.fault("a reader holds ACCESS SHARE on relationship for 25 s during the replay")
    reader.wait(60)
    sc.cleared = time.time()
    replay_ended(sc)


SCENARIOS = {
    "kill-status": kill_status,
    "kill-status-mid-delivery": kill_mid_delivery,
    "sigstop-zombie": sigstop_zombie,
    "kill-leader-broker": kill_leader,
    "broker-down-30s": broker_down,
    "pg-down-30s": pg_down,
    "pg-down-during-switch": lambda sc: pg_down(sc, during_switch=True),
    "delete-records": delete_records,
    "replay-kill-switch": replay_kill_switch,
    "replay-lock-terminated": replay_lock_lost,
    "reader-lock-during-switch": reader_lock_switch,
}
QUICK_SET = ["kill-status", "kill-status-mid-delivery", "kill-leader-broker", "pg-down-30s"]

COLUMNS = ["scenario", "load", "faults", "202s", "counted", "lost", "duplicated", "read outage",
           "ingest 503s / longest without 202", "recovery", "webhooks / change topic", "result"]


def write_results(table, notes):
    """A full run rewrites the table between the chaos markers in docs/operations.md."""
    path = os.path.join(ENV["ROOT"], "docs", "operations.md")
    with open(path) as f:
        text = f.read()
    day = time.strftime("%Y-%m-%d", time.gmtime())
    block = (f"<!-- chaos:start -->\nMeasured {day} with `bin/chaos` ({TOTAL:,} statements per scenario, "
             f"~{RATE:.0f}/s asked).\n\n" + "\n".join(table + [""] + notes) + "\n<!-- chaos:end -->")
    new = re.sub(r"<!-- chaos:start -->.*?<!-- chaos:end -->", lambda _: block, text, flags=re.S)
    with open(path, "w") as f:
        f.write(new)


def main(names):
    names = names or (QUICK_SET if QUICK else list(SCENARIOS))
    # DeleteRecords truncates the shared topic: it goes last.
    names = sorted(names, key=lambda n: n == "delete-records")
    rows, system = [], System()
    try:
        system.boot()
        for name in names:
            log(f"=== {name}")
            sc = Scenario(name, system)
            try:
                system.heal()
                SCENARIOS[name](sc)
                if name == "delete-records":
                    system.deleted = True
                row = sc.finish()
            except Exception as e:  # noqa: BLE001 - one scenario's crash is its FAIL, not the suite's end
                log(f"{name} crashed: {e}")
                row = {"scenario": name, "faults": "; ".join(sc.faults), "result": f"FAIL: crashed: {e}"}
                if sc.load:
                    sc.load.stop()
                    sc.load.join()
                if sc.probes:
                    sc.probes.stop()
            rows.append(row)
            log(f"{name}: {row.get('result')} {row.get('notes', '')}")
            with open(f"{WORK}/results.json", "w") as f:
                json.dump(rows, f, indent=1)
    finally:
        system.close()
    table = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        table.append("| " + " | ".join(str(r.get(c, "—")).replace("|", "/") for c in COLUMNS) + " |")
    print("\n".join(table))
    notes = [f"- {r['scenario']}: {r['notes']}" for r in rows if r.get("notes")]
    with open(f"{WORK}/table.md", "w") as f:
        f.write("\n".join(table + [""] + notes) + "\n")
    if notes:
        print("\n" + "\n".join(notes))
    if not QUICK and set(names) == set(SCENARIOS):
        write_results(table, notes)
    failed = [r["scenario"] for r in rows if not str(r.get("result", "")).startswith("PASS")]
    print(f"\nCHAOS: {len(rows) - len(failed)} of {len(rows)} scenarios passed"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    # SIGTERM (bin/chaos's cleanup) unwinds like Ctrl-C: each scenario's finally stops its processes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main(sys.argv[1:]))
