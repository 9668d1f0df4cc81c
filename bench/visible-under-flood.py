#!/usr/bin/env python3
"""Time until visible, quiet and under a read flood (issue #22): posts single statements on one relationship at
RATE per second for SECONDS, first quiet, then while READERS threads hammer a static file of the same server (the
flood's own cost: the load generator and HTTP on these cores), then while they hammer asOf and /timeline of another
relationship with a long history (FLOODED, "A/B"). Visibility is read from PostgreSQL (applied_at - recorded_at
of each posted statement), so the readers' own latency does not count. Each reader is bounded: at most
MAX_REQUESTS requests, none after the phase ends, a 30 s timeout per request; loopback only.
Prints "quiet_p50_ms=.. quiet_p99_ms=.. static_p50_ms=.. static_p99_ms=.. flood_p50_ms=.. flood_p99_ms=.. reads=..
read_errors=.. missing=..".

usage: visible-under-flood.py INGEST_URL STATUS_URL TOKEN DATABASE FLOODED POSTED READERS RATE SECONDS
"""
import http.client
import json
import random
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

MAX_REQUESTS = 500
TIMEOUT = 30


def connection(url):
    u = urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=TIMEOUT)


def post_phase(ingest, token, posted, rate, seconds):
    """Paced single POSTs over one kept-alive connection; the eventIds that were accepted."""
    a, b = posted.split("/")
    conn, ids, errors = connection(ingest), [], 0
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        pause = start + i / rate - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        event_id = str(uuid.uuid4())
        body = json.dumps({"eventId": event_id, "type": "NO_RESPONSE", "source": a, "target": b,
                           "occurredAt": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                           "speaker": "Spokesperson", "summary": "No answer was given to the offer of talks."})
        try:
            conn.request("POST", "/events", body, {"Content-Type": "application/json",
                                                   "Authorization": f"Bearer {token}"})
            response = conn.getresponse()
            response.read()
            if response.status == 202:
                ids.append(event_id)
            else:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = connection(ingest)
    conn.close()
    return ids, errors


STATIC = "/board.css"


def reader(status, flooded, first, last, stop, counts, lock):
    """flooded None: the static file."""
    conn, rng, n, failed = connection(status), random.Random(), 0, 0
    while not stop.is_set() and n < MAX_REQUESTS:
        n += 1
        if flooded is None:
            path = STATIC
        elif n % 2:
            at = first + (last - first) * rng.random()
            path = f"/relationships/{flooded}?asOf={at.strftime('%Y-%m-%dT%H:%M:%SZ')}"
        else:
            path = f"/relationships/{flooded}/timeline"
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failed += 1
        except (OSError, http.client.HTTPException):
            failed += 1
            conn.close()
            conn = connection(status)
    conn.close()
    with lock:
        counts[0] += n
        counts[1] += failed


class Database:
    """One psql session for every query."""

    def __init__(self, database):
        self.psql = subprocess.Popen(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                                      "-U", "parley", "-d", database],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def latencies_ms(self, ids):
        """applied_at - recorded_at of those stored, in ms (a query per 1,000 ids)."""
        found = []
        for i in range(0, len(ids), 1000):
            chunk = ",".join(f"'{x}'" for x in ids[i:i + 1000])
            self.psql.stdin.write("SELECT count(*) || ' ' || coalesce(string_agg((1000 * extract(epoch FROM"
                                  f" applied_at - recorded_at))::text, ' '), '') FROM statement WHERE event_id IN ({chunk});\n")
            self.psql.stdin.flush()
            line = self.psql.stdout.readline().split()
            found += [float(x) for x in line[1:]]
        return found


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def visible(db, ids, deadline_s=120):
    """Waits (bounded) until every posted statement is stored; their latencies."""
    deadline = time.time() + deadline_s
    while True:
        found = db.latencies_ms(ids)
        if len(found) == len(ids) or time.time() > deadline:
            return found
        time.sleep(0.2)


def flooded_phase(db, ingest, status, token, flooded, posted, readers, rate, seconds, first, last):
    """Posts while READERS threads hammer flooded (None: the static file); latencies, counts, ids, post errors."""
    stop, counts, lock = threading.Event(), [0, 0], threading.Lock()
    threads = [threading.Thread(target=reader, args=(status, flooded, first, last, stop, counts, lock), daemon=True)
               for _ in range(readers)]
    for t in threads:
        t.start()
    time.sleep(min(2.0, seconds / 2))  # the flood is under way before the first POST
    ids, errors = post_phase(ingest, token, posted, rate, seconds)
    found = visible(db, ids)
    stop.set()
    for t in threads:
        t.join(TIMEOUT + 5)
    return found, counts, ids, errors


def main(ingest, status, token, database, flooded, posted, readers, rate, seconds):
    db = Database(database)
    quiet_ids, quiet_errors = post_phase(ingest, token, posted, rate, seconds)
    quiet = visible(db, quiet_ids)
    # The flooded relationship's history spans its statements' occurredAt; asOf picks a point inside it.
    first, last = datetime(2020, 1, 1, tzinfo=timezone.utc), datetime.now(timezone.utc) - timedelta(days=1)
    static, static_counts, static_ids, static_errors = flooded_phase(
        db, ingest, status, token, None, posted, readers, rate, seconds, first, last)
    flood, counts, flood_ids, flood_errors = flooded_phase(
        db, ingest, status, token, flooded, posted, readers, rate, seconds, first, last)
    q50, q99, f50, f99 = (percentile(quiet, 50), percentile(quiet, 99), percentile(flood, 50), percentile(flood, 99))
    s50, s99 = percentile(static, 50), percentile(static, 99)
    missing = len(quiet_ids) - len(quiet) + len(static_ids) - len(static) + len(flood_ids) - len(flood)
    print(f"quiet_p50_ms={q50:.0f} quiet_p99_ms={q99:.0f} static_p50_ms={s50:.0f} static_p99_ms={s99:.0f}"
          f" flood_p50_ms={f50:.0f} flood_p99_ms={f99:.0f}"
          f" reads={counts[0]} read_errors={counts[1]} static_reads={static_counts[0]}"
          f" post_errors={quiet_errors + static_errors + flood_errors}"
          f" posted={len(quiet_ids) + len(static_ids) + len(flood_ids)} missing={missing}")

if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) != 9:
        sys.exit(__doc__)
    main(a[0], a[1], a[2], a[3], a[4], a[5], int(a[6]), float(a[7]), float(a[8]))
