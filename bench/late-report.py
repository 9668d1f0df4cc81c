"""What one late statement costs on a long relationship, measured on a running status-service.

Usage: late-report.py BOOTSTRAP TOPIC STATUS_URL METRICS_URL N
The topic already holds N statements of bench/gen-statements.py over one relationship (occurredAt every 30 s
from 2025-01-01), and the service has folded them. For each case this publishes one statement (kcat) and
times how long until the relationship's version moves (GET .../{a}/{b}, polled every 2 ms); right after it,
one statement on another relationship, whose wait shows whether the other partitions stalled meanwhile.
Prints one line per case and a RESULT line (milliseconds) for bin/bench.
"""
import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

boot, topic, status, metrics, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
# The broker's admin user (late-report.sh exports it): PLAIN, which Debian's kcat can do against Kafka 4.
KCAT_SASL = ["-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanisms=PLAIN",
             "-X", "sasl.username=" + os.environ["PARLEY_KCAT_USERNAME"], "-X", "sasl.password=" + os.environ["PARLEY_KCAT_PASSWORD"]]
BASE = datetime(2025, 1, 1, tzinfo=timezone.utc)


def get_json(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def metric(name):
    """Sum of a Prometheus metric's samples (0 when absent: the service before snapshots has none)."""
    with urllib.request.urlopen(metrics, timeout=30) as r:
        text = r.read().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith(name + " ") or line.startswith(name + "{"))


relationship = get_json(status + "/relationships?limit=1")
relationship = (relationship if isinstance(relationship, list) else relationship["items"])[0]
a, b = relationship["parties"]
other_a, other_b = ("ZAF", "ZWE") if (a, b) != ("ZAF", "ZWE") else ("NZL", "ZMB")


def version(x, y):
    try:
        return get_json(f"{status}/relationships/{x}/{y}")["version"]
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return 0
        raise


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def statement(kind, source, target, occurred, **more):
    now = datetime.now(timezone.utc)
    e = {"eventId": str(uuid.uuid4()), "type": kind, "source": source, "target": target,
         "occurredAt": iso(occurred), "recordedAt": iso(max(now, occurred)), "summary": "late report"}
    e.update(more)
    return "-".join(sorted((source, target))) + "\t" + json.dumps(e, separators=(",", ":"))


def publish(*lines):
    subprocess.run(["kcat", "-b", boot, *KCAT_SASL, "-t", topic, "-P", "-K", "\t", "-X", "partitioner=murmur2_random"],
                   input="\n".join(lines) + "\n", text=True, check=True)


def wait_moved(x, y, before, t0, deadline=120):
    while version(x, y) == before:
        if time.time() - t0 > deadline:
            sys.exit(f"{x}-{y} did not move within {deadline} s")
        time.sleep(0.002)
    return (time.time() - t0) * 1000


def case(label, line):
    v, w = version(a, b), version(other_a, other_b)
    read_before = metric("parley_refold_statements_total")
    spent_before = metric("parley_refold_seconds_sum")
    t0 = time.time()
    # The late statement, then one on another relationship: the second waits for the first's batch.
    publish(line, statement("NO_RESPONSE", other_a, other_b, datetime.now(timezone.utc)))
    late_ms = wait_moved(a, b, v, t0)
    other_ms = wait_moved(other_a, other_b, w, t0)
    reread = metric("parley_refold_statements_total") - read_before
    spent = (metric("parley_refold_seconds_sum") - spent_before) * 1000
    print(f"{label}: visible after {late_ms:.0f} ms; a statement on {other_a}-{other_b} published with it "
          f"after {other_ms:.0f} ms; refold {spent:.0f} ms, statements re-read {reread:.0f}", flush=True)
    return late_ms


def late(depth):
    """A CONDITIONS_REITERATED that sorts `depth` statements before the end (between two generated ones)."""
    occurred = BASE + timedelta(seconds=(n - depth) * 30 - 15)
    return statement("CONDITIONS_REITERATED", a, b, occurred, conditions=[f"late condition {depth}"])


# Warm the path once (class loading, JIT of the stream), then the measured cases.
case("warm-up: a late report 10 statements back", late(10))
results = []
for depth in (100, 2_000, n):
    what = "before every statement" if depth == n else f"{depth:,} statements back"
    results.append(case(f"late report {what}", late(depth)))
# A retraction of the statement 1,000 back, named by the generator's own output (its seed is fixed).
gen = subprocess.run([sys.executable, __file__.replace("late-report.py", "gen-statements.py"), str(n), "1"],
                     capture_output=True, text=True, check=True).stdout.splitlines()
target = json.loads(gen[n - 1_000].split("\t", 1)[1])["eventId"]
results.append(case("retraction of the statement 1,000 back", statement(
    "STATEMENT_RETRACTED", a, b, datetime.now(timezone.utc), retracts=target)))
print("RESULT " + " ".join(f"{ms:.0f}" for ms in results))
