#!/usr/bin/env python3
"""POST -> SSE delivered: opens STREAMS relationship streams on status-service, posts single statements to
ingest at RATE per second for SECONDS, round-robin over those relationships, and measures, in this one
process (one clock), from just before each POST is written to the moment its change arrives on the
relationship's stream (matched by the projection's lastEvent.eventId). Prints "p50_ms=.. p99_ms=.. delivered=.. posted=.. rate=..".

usage: sse-latency.py INGEST_URL STATUS_URL TOKEN STREAMS RATE SECONDS
"""
import asyncio
import itertools
import json
import sys
import time
import uuid
from urllib.parse import urlparse

COUNTRIES = ["USA", "PRK", "KOR", "CHN", "RUS", "JPN", "GBR", "FRA", "DEU", "IND", "PAK", "IRN", "ISR", "SAU",
             "TUR", "UKR", "BRA", "ZAF", "EGY", "MEX", "CAN", "AUS", "IDN", "VNM", "PHL", "QAT", "ARE", "NOR",
             "CHE", "SWE", "POL", "ITA", "ESP", "NGA", "ETH", "KEN", "ARG", "CHL", "COL", "MNG", "NLD", "BEL",
             "AUT", "GRC", "PRT", "IRL"]
POST_CONNECTIONS = 16


def hostport(url):
    u = urlparse(url)
    return u.hostname, u.port


async def stream(status, pair, sent, latencies, opened):
    host, port = hostport(status)
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET /relationships/{pair[0]}/{pair[1]}/stream HTTP/1.1\r\nHost: {host}\r\n"
                 "Accept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    status_line = await reader.readline()
    if b" 200 " not in status_line:
        raise SystemExit(f"stream {pair}: {status_line!r}")
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    opened.set_result(None) if not opened.done() else None
    buffer = b""
    while True:  # chunked transfer encoding: undo the chunks, then split SSE lines
        size = await reader.readline()
        if not size or int(size.split(b";")[0], 16) == 0:
            return
        buffer += (await reader.readexactly(int(size.split(b";")[0], 16) + 2))[:-2]
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            if line.startswith(b"data:"):
                last = json.loads(line[5:]).get("lastEvent") or {}
                started = sent.pop(last.get("eventId"), None)
                if started is not None:
                    latencies.append(time.perf_counter() - started)


async def read_response(reader):
    status_line = await reader.readline()
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(status_line.split()[1])


async def poster(ingest, token, queue, sent, counts, errors):
    host, port = hostport(ingest)
    reader, writer = await asyncio.open_connection(host, port)
    while True:
        pair = await queue.get()
        if pair is None:
            writer.close()
            return
        key = "-".join(sorted(pair))
        counts[key] += 1
        event_id = str(uuid.uuid4())
        body = json.dumps({"eventId": event_id, "type": "INCENTIVE_OFFERED", "source": pair[0],
                           "target": pair[1], "occurredAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                           "incentives": [f"Offer {counts[key]}"], "summary": "Benchmark statement"}).encode()
        sent[event_id] = time.perf_counter()
        writer.write(f"POST /events HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                     f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        await writer.drain()
        if await read_response(reader) != 202:
            errors.append(pair)
            sent.pop(event_id, None)


async def main(ingest, status, token, streams, rate, seconds):
    pairs = list(itertools.islice(itertools.combinations(COUNTRIES, 2), streams))
    sent, latencies, errors = {}, [], []
    counts = {"-".join(sorted(p)): 0 for p in pairs}
    opened = [asyncio.get_running_loop().create_future() for _ in pairs]
    readers = []
    for i, pair in enumerate(pairs):  # a few at a time: the server's accept queue is not the subject
        readers.append(asyncio.create_task(stream(status, pair, sent, latencies, opened[i])))
        if i % 50 == 49:
            await asyncio.gather(*opened[i - 49:i + 1])
    await asyncio.wait_for(asyncio.gather(*opened), 60)
    # Streams that open on an existing relationship first receive its current projection: let those arrive.
    await asyncio.sleep(2)
    queue = asyncio.Queue(maxsize=POST_CONNECTIONS * 4)
    posters = [asyncio.create_task(poster(ingest, token, queue, sent, counts, errors))
               for _ in range(POST_CONNECTIONS)]
    start = time.perf_counter()
    total = int(rate * seconds)
    cycle = itertools.cycle(pairs)
    for n in range(total):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await queue.put(next(cycle))
    for _ in posters:
        await queue.put(None)
    await asyncio.gather(*posters)
    elapsed = time.perf_counter() - start
    deadline = time.perf_counter() + 30
    while sent and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    for r in readers:
        r.cancel()
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
    print(f"p50_ms={pct(0.50):.1f} p99_ms={pct(0.99):.1f} delivered={len(latencies)} posted={total - len(errors)} "
          f"missing={len(sent)} errors={len(errors)} rate={total / elapsed:.0f} streams={len(pairs)}")


if __name__ == "__main__":
    i, s, t, n, r, d = sys.argv[1:7]
    asyncio.run(main(i, s, t, int(n), float(r), float(d)))
