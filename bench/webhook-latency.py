#!/usr/bin/env python3
"""POST -> webhook delivered: starts a receiver on 127.0.0.1, registers it with status-service's admin API for
the changes of relationships with ISL (forty pairs, round-robin), posts single statements to ingest at RATE per
second for SECONDS, and measures, in this one process (one clock), from just before each POST is written to
the arrival of the first webhook whose change includes it: its own (matched by the change's causedBy, the
statement's eventId), or, when it was folded in one batch with a later statement of the same pair, that one's
("folded" counts these). The endpoint is disabled at the end.
Prints "p50_ms=.. p99_ms=.. delivered=.. folded=.. posted=.. missing=.. errors=.. rate=..".

usage: webhook-latency.py INGEST_URL STATUS_URL TOKEN ADMIN_TOKEN RATE SECONDS
"""
import http.client
import http.server
import json
import sys
import threading
import time
import uuid
from urllib.parse import urlparse

PARTNERS = ["NOR", "SWE", "FIN", "DNK", "EST", "LVA", "LTU", "POL", "CAN", "IRL", "GBR", "FRA", "DEU", "ITA",
            "ESP", "PRT", "NLD", "BEL", "AUT", "CHE", "CZE", "SVK", "HUN", "ROU", "BGR", "GRC", "TUR", "UKR",
            "JPN", "KOR", "AUS", "NZL", "BRA", "ARG", "CHL", "MEX", "USA", "IND", "IDN", "ZAF"]
POSTERS = 4


def connect(url):
    u = urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=15)


def call(url, method, path, body=None, headers=None):
    conn = connect(url)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def main(ingest, status, token, admin, rate, seconds):
    sent, arrived, lock = {}, {}, threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            now = time.perf_counter()
            cause = (json.loads(body).get("data") or {}).get("causedBy")
            with lock:
                arrived.setdefault(cause, now)
            self.send_response(204)
            self.end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    code, body = call(status, "POST", "/admin/webhooks", json.dumps(
        {"url": f"http://127.0.0.1:{server.server_address[1]}/hook", "parties": ["ISL"]}),
        {"Authorization": f"Bearer {admin}", "Content-Type": "application/json"})
    if code != 201:
        raise SystemExit(f"registering the endpoint answered {code}: {body[:300]!r}")
    endpoint = json.loads(body)["id"]

    total = int(rate * seconds)
    errors, counts, next_n = [], {}, [0]
    start = time.perf_counter()

    def poster():
        conn = connect(ingest)
        while True:
            with lock:
                n = next_n[0]
                next_n[0] += 1
            if n >= total:
                break
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            partner = PARTNERS[n % len(PARTNERS)]
            event_id = str(uuid.uuid4())
            body = json.dumps({"eventId": event_id, "type": "INCENTIVE_OFFERED", "source": "ISL", "target": partner,
                               "occurredAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "incentives": [f"Offer {n}"], "summary": "Benchmark statement"})
            with lock:
                sent[event_id] = (time.perf_counter(), partner, n)
            try:
                conn.request("POST", "/events", body=body, headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
                r = conn.getresponse()
                r.read()
                ok = r.status == 202
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = connect(ingest)
                ok = False
            if not ok:
                with lock:
                    errors.append(event_id)
                    sent.pop(event_id, None)
        conn.close()

    def reflected(e):
        """When the first webhook including statement e arrived: its own, or a later one of its pair's."""
        _, partner, n = sent[e]
        times = [arrived[x] for x, (_, p, m) in sent.items() if p == partner and m >= n and x in arrived]
        return min(times) if times else None

    def unreflected():
        return [e for e in sent if reflected(e) is None]

    threads = [threading.Thread(target=poster) for _ in range(POSTERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        with lock:
            if not unreflected():
                break
        time.sleep(0.1)
    call(status, "POST", f"/admin/webhooks/{endpoint}/disable", b"", {"Authorization": f"Bearer {admin}"})
    server.shutdown()
    with lock:
        latencies = sorted(reflected(e) - t for e, (t, _, _) in sent.items() if reflected(e) is not None)
        missing = len(unreflected())
        folded = sum(1 for e in sent if e not in arrived and reflected(e) is not None)
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
    print(f"p50_ms={pct(0.50):.1f} p99_ms={pct(0.99):.1f} delivered={len(latencies)} folded={folded} posted={len(sent)} "
          f"missing={missing} errors={len(errors)} rate={total / elapsed:.0f}")


if __name__ == "__main__":
    i, s, t, a, r, d = sys.argv[1:7]
    main(i, s, t, a, float(r), float(d))
