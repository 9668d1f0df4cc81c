"""The moving parts bin/chaos drives: services as real processes, a PostgreSQL proxy that can be cut, a load
generator that remembers every acknowledged eventId, read probes, and the topic read back for the invariants.
Everything listens on and sends to 127.0.0.1 only."""
import base64
import hashlib
import hmac
import http.client
import http.server
import json
import os
import random
import re
import select
import signal
import socket
import subprocess
import threading
import time
import uuid

ENV = os.environ
ROOT = ENV["ROOT"]
BOOTSTRAP = ENV["CHAOS_BOOTSTRAP"]
PG_PORT = int(ENV.get("CHAOS_PG_PORT", "5432"))
DB = ENV["CHAOS_DB"]
WORK = ENV["CHAOS_WORK"]
JAVA_OPTS = ENV["CHAOS_JAVA_OPTS"].split()
# -Xmx per service (bin/lib/common.sh service_heap); an -Xmx in CHAOS_JAVA_OPTS comes later and wins.
HEAPS = {"ingest-service": ENV["CHAOS_INGEST_HEAP"], "status-service": ENV["CHAOS_STATUS_HEAP"]}
READY_URLS = dict(kv.split("=", 1) for kv in ENV["CHAOS_READY_URLS"].split(";"))
# A development token for the load and probes (bin/token: the key this throwaway system's ingest trusts).
INGEST_TOKEN = subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "token"), "chaos",
                               "--roles", "post,retract", "--parties", "*", "--ttl-hours", "12"],
                              capture_output=True, text=True, check=True).stdout.strip()
ADMIN_TOKEN = "dev-admin-token"
# The broker's admin user (bin/chaos exports the development one): kcat with PLAIN, which Debian's kcat can do
# against Kafka 4; Kafka's tools with its client properties file.
KCAT_SASL = ["-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanisms=PLAIN",
             "-X", f"sasl.username={ENV['CHAOS_KAFKA_ADMIN_USER']}", "-X", f"sasl.password={ENV['CHAOS_KAFKA_ADMIN_PASSWORD']}"]
ADMIN_CONFIG = ENV["CHAOS_KAFKA_ADMIN_CONFIG"]
COUNTRIES = ["USA", "PRK", "KOR", "CHN", "RUS", "JPN", "GBR", "FRA", "DEU", "IND", "PAK", "IRN", "ISR", "SAU",
             "TUR", "UKR", "BRA", "ZAF", "EGY", "MEX"]


def log(msg):
    print(f"chaos: {msg}", flush=True)


def psql(sql, db=None, timeout=60):
    out = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                          str(PG_PORT), "-U", "parley", "-d", db or DB, "-c", sql],
                         capture_output=True, text=True, timeout=timeout,
                         env={**ENV, "PGPASSWORD": ENV.get("PGPASSWORD", "parley")})
    if out.returncode != 0:
        raise RuntimeError(f"psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


def kafka(*args, timeout=300, check=True):
    out = subprocess.run([f"{ROOT}/bin/kafka", *args], capture_output=True, text=True, timeout=timeout)
    if check and out.returncode != 0:
        raise RuntimeError(f"bin/kafka {' '.join(args)} failed: {out.stderr.strip()[-500:]}")
    return out.stdout


def request(method, port, path, body=None, headers=None, timeout=5.0):
    """(status, headers, body) or (None, None, error) when the connection fails."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    except (OSError, http.client.HTTPException) as e:
        return None, None, str(e)
    finally:
        conn.close()


class PgProxy:
    """A TCP proxy in front of PostgreSQL: cut() drops every connection and refuses new ones, as a database
    outage would, without touching the shared server."""

    def __init__(self, port):
        self.port, self.lock, self.conns, self.server, self.up = port, threading.Lock(), [], None, False
        self.restore()

    def restore(self):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port))
        s.listen(128)
        self.server, self.up = s, True
        threading.Thread(target=self._accept, args=(s,), daemon=True).start()

    def cut(self):
        self.up = False
        try:
            self.server.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.server.close()
        with self.lock:
            for c in self.conns:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                c.close()
            self.conns.clear()

    def _accept(self, server):
        while self.up:
            try:
                client, _ = server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", PG_PORT))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, a, b):
        socks = [a, b]
        try:
            while True:
                ready, _, _ = select.select(socks, [], [], 1.0)
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (b if s is a else a).sendall(data)
        except (OSError, ValueError):
            pass
        finally:
            for s in socks:
                try:
                    s.close()
                except OSError:
                    pass
            with self.lock:
                for s in socks:
                    if s in self.conns:
                        self.conns.remove(s)


class Service:
    def __init__(self, name, port, env, tag):
        self.name, self.port, self.env, self.tag, self.proc = name, port, env, tag, None
        self.log = f"{WORK}/{tag}.log"

    def start(self):
        args = ["java", HEAPS[self.name], *JAVA_OPTS, "-XX:+ExitOnOutOfMemoryError", f"-Dquarkus.http.port={self.port}",
                f"-Dquarkus.management.port={self.port + 1000}", "-jar",
                f"{ROOT}/{self.name}/target/quarkus-app/quarkus-run.jar"]
        out = open(self.log, "a")
        self.proc = subprocess.Popen(args, env={**ENV, **self.env}, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def ready(self):
        try:
            status, _, _ = _get_url(READY_URLS[str(self.port)])
            return status == 200
        except OSError:
            return False

    def readiness(self):
        """The readiness check's body ('' when it does not answer)."""
        try:
            return _get_url(READY_URLS[str(self.port)])[2] or ""
        except OSError:
            return ""

    def await_ready(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.ready():
                return True
            if not self.alive():
                raise RuntimeError(f"{self.tag} exited during start-up, see {self.log}")
            time.sleep(0.3)
        raise RuntimeError(f"{self.tag} not ready after {timeout}s, see {self.log}")

    def signal(self, sig):
        if self.alive():
            os.kill(self.proc.pid, sig)

    def kill9(self):
        self.signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _get_url(url):
    m = re.match(r"http://([^:/]+):(\d+)(/.*)", url)
    conn = http.client.HTTPConnection(m.group(1), int(m.group(2)), timeout=2)
    try:
        conn.request("GET", m.group(3))
        r = conn.getresponse()
        return r.status, None, r.read().decode(errors="replace")
    finally:
        conn.close()


def statement(rel=None):
    a, b = rel or random.sample(COUNTRIES, 2)
    t = random.choice(["INVITATION_ISSUED", "NO_RESPONSE", "CONDITIONS_REITERATED", "INCENTIVE_OFFERED",
                       "MEETING_SCHEDULED"])
    s = {"eventId": str(uuid.uuid4()), "type": t, "source": a, "target": b,
         "occurredAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "speaker": "Spokesperson",
         "summary": "Chaos load: the foreign ministry repeated its position on talks."}
    if t == "CONDITIONS_REITERATED":
        s["conditions"] = ["Lifting of sanctions first"]
    elif t == "INCENTIVE_OFFERED":
        s["incentives"] = ["Sanctions relief"]
    elif t == "MEETING_SCHEDULED":
        s["meetingAt"], s["location"] = "2025-12-01T02:00:00Z", "Panmunjom"
    return s


class Load:
    """Posts `total` statements at about `rate` per second: single POST /events from six threads, batches of
    50 (POST /events/batch, one Kafka transaction each) from four. Remembers every acknowledged eventId, every answer and when it came."""

    def __init__(self, port, total, rate, singles=6, batchers=4, batch=50):
        self.port, self.total, self.rate = port, total, rate
        self.singles, self.batchers, self.batch = singles, batchers, batch
        self.acked, self.codes, self.events, self.partitions = set(), {}, [], {}
        self.missing_retry_after, self.sent, self.lock = 0, 0, threading.Lock()
        self.threads, self.started, self.finished = [], None, None

    def start(self):
        self.started = time.time()
        for i in range(self.singles + self.batchers):
            t = threading.Thread(target=self._run, args=(1 if i < self.singles else self.batch,), daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def _take(self, n):
        with self.lock:
            n = min(n, self.total - self.sent)
            if n <= 0:
                return 0, 0
            self.sent += n
            due = self.started + self.sent / self.rate
        return n, due

    def _run(self, size):
        conn = None
        headers = {"Authorization": f"Bearer {INGEST_TOKEN}", "Content-Type": "application/json"}
        while True:
            n, due = self._take(size)
            if n == 0:
                break
            wait = due - time.time()
            if wait > 0:
                time.sleep(wait)
            items = [statement() for _ in range(n)]
            path, body = ("/events", json.dumps(items[0])) if size == 1 else ("/events/batch", json.dumps(items))
            sent_at = time.time()
            # A statement not acknowledged is retried (same eventIds) until acknowledged or the run ends,
            # as a client honouring Retry-After would; the retry is bounded by the load's own deadline.
            for attempt in range(40):
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
                    conn.request("POST", path, body=body, headers=headers)
                    r = conn.getresponse()
                    data = r.read()
                    code = r.status
                    if r.getheader("Connection", "").lower() == "close":
                        conn.close(); conn = None
                except (OSError, http.client.HTTPException):
                    code, data = "conn", b""
                    if conn is not None:
                        conn.close()
                    conn = None
                now = time.time()
                with self.lock:
                    self.codes[code] = self.codes.get(code, 0) + 1
                    self.events.append((sent_at, now, code))
                    if code == 202:
                        for item in items:
                            self.acked.add(item["eventId"])
                        if size == 1:
                            p = json.loads(data).get("partition")
                            self.partitions[p] = self.partitions.get(p, 0) + 1
                    elif code == 503 and r.getheader("Retry-After") is None:
                        self.missing_retry_after += 1
                if code == 202 or code not in (503, "conn"):
                    break
                time.sleep(1.0)
                sent_at = time.time()
        if conn is not None:
            conn.close()

    def stop(self):
        """Posts nothing more (a scenario that crashed)."""
        with self.lock:
            self.total = self.sent

    def join(self, timeout=900):
        for t in self.threads:
            t.join(max(0.1, self.started + timeout - time.time()))
        self.finished = max((end for _, end, _ in self.events), default=time.time())

    def write_outage(self):
        """Longest span without a 202 while the load ran (seconds)."""
        ok = sorted(end for _, end, code in self.events if code == 202)
        if not ok:
            return float("inf")
        points = [self.started] + ok + [self.finished or time.time()]
        return max(b - a for a, b in zip(points, points[1:]))


class Probes:
    """Reads from every status instance every 100 ms: answers and connection failures, with times."""

    def __init__(self, services, path):
        self.services, self.path, self.samples, self.running = services, path, [], True
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def _run(self):
        while self.running:
            for s in self.services:
                status, _, _ = request("GET", s.port, self.path, timeout=2)
                self.samples.append((time.time(), s.port, status))
            time.sleep(0.1)

    def stop(self):
        self.running = False
        self.thread.join(5)

    def server_errors(self):
        return sum(1 for _, _, st in self.samples if st is not None and st >= 500)

    def outage(self):
        """Longest span in which no instance answered a read (a client behind a load balancer sees this)."""
        ok = sorted(t for t, _, st in self.samples if st is not None and st < 500)
        if not self.samples:
            return 0.0
        points = [self.samples[0][0]] + ok + [self.samples[-1][0]]
        longest = max(b - a for a, b in zip(points, points[1:]))
        return longest if longest > 0.5 else 0.0


def kcat(*args, timeout=300):
    out = subprocess.run(["kcat", "-b", BOOTSTRAP, *KCAT_SASL, *args], capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"kcat {' '.join(args)} failed: {out.stderr.strip()[-300:]}")
    return out.stdout


def topic_contents(topic):
    """eventIds per relationship, as a read_committed reader of the topic sees them."""
    out = kcat("-C", "-t", topic, "-o", "beginning", "-e", "-q", "-X", "isolation.level=read_committed",
               "-f", "%k\t%s\n")
    per_rel, records = {}, 0
    for line in out.splitlines():
        if "\t" not in line:
            continue
        key, value = line.split("\t", 1)
        m = re.search(r'"eventId"\s*:\s*"([0-9a-f-]{36})"', value)
        if m:
            records += 1
            per_rel.setdefault(key, set()).add(m.group(1))
    return per_rel, records


def leaders(topic):
    meta = json.loads(kcat("-L", "-t", topic, "-J", timeout=60))
    return {p["partition"]: p["leader"] for t in meta["topics"] if t["topic"] == topic for p in t["partitions"]}


def end_offsets(topic):
    args = []
    for p in leaders(topic):
        args += ["-t", f"{topic}:{p}:-1"]
    out = kcat("-Q", *args, timeout=60)
    return {int(m.group(1)): int(m.group(2)) for m in re.finditer(r"\[(\d+)\]\s+offset\s+(-?\d+)", out)}


class WebhookReceiver:
    """A webhook endpoint on 127.0.0.1 that answers 204 after `delay` seconds and remembers, per webhook-id,
    how often it came, how many attempts were in flight at once and from which client ports (so an attempt
    can be traced to the sending process). Signatures are checked against the secret once it is known."""

    def __init__(self, port):
        self.port, self.delay, self.secret, self.lock = port, 0.0, None, threading.Lock()
        self.received, self.in_flight, self.senders = {}, {}, {}
        self.overlaps, self.bad_signatures, self.max_in_flight, self.arrivals = set(), 0, 0, []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                wid = self.headers.get("webhook-id", "")
                receiver._arrived(wid, body, self.headers, self.client_address[1])
                try:
                    time.sleep(receiver.delay)
                    self.send_response(204)
                    self.end_headers()
                    self.wfile.flush()
                except OSError:
                    self.close_connection = True
                finally:
                    receiver._left(wid)

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a killed sender resets its idle connections: expected here

        self.server = Server(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self):
        return f"http://127.0.0.1:{self.port}/parley"

    def _arrived(self, wid, body, headers, client_port):
        ok = self._verify(wid, headers.get("webhook-timestamp", ""), body, headers.get("webhook-signature", ""))
        with self.lock:
            self.arrivals.append((time.time(), wid))
            self.received[wid] = self.received.get(wid, 0) + 1
            n = self.in_flight.get(wid, 0) + 1
            self.in_flight[wid] = n
            self.senders.setdefault(wid, []).append(client_port)
            if n > 1:
                self.overlaps.add(wid)
            self.max_in_flight = max(self.max_in_flight, sum(self.in_flight.values()))
            if not ok:
                self.bad_signatures += 1

    def _left(self, wid):
        with self.lock:
            self.in_flight[wid] -= 1
            self.senders[wid].pop(0)
            if not self.in_flight[wid]:
                del self.in_flight[wid]
                del self.senders[wid]

    def _verify(self, wid, timestamp, body, signatures):
        if self.secret is None:
            return True
        key = base64.b64decode(self.secret.removeprefix("whsec_"))
        mac = base64.b64encode(hmac.new(key, f"{wid}.{timestamp}.".encode() + body, hashlib.sha256).digest()).decode()
        return any(hmac.compare_digest(mac, s.split(",", 1)[-1]) for s in signatures.split(" "))

    def in_flight_from(self, ports):
        """The webhook-ids in flight on connections from these client ports."""
        with self.lock:
            return {wid for wid, senders in self.senders.items() if any(p in ports for p in senders)}

    def busy(self):
        with self.lock:
            return sum(self.in_flight.values())

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def change_numbers(topic):
    """Per key, the changeNumbers of the change-event topic in the order a reader sees them (one key, one
    partition: partition order)."""
    out = kcat("-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%k\t%s\n")
    per_key = {}
    for line in out.splitlines():
        if "\t" not in line:
            continue
        key, value = line.split("\t", 1)
        m = re.search(r'"changeNumber"\s*:\s*(\d+)', value)
        if m:
            per_key.setdefault(key, []).append(int(m.group(1)))
    return per_key


def local_ports(pid):
    """The local TCP ports of a process's sockets (its side of each connection), read from /proc."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    except OSError:
        return set()
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[9] in inodes:
                        ports.add(int(parts[1].rsplit(":", 1)[1], 16))
        except OSError:
            pass
    return ports
