"""Prints a status-service relationship projection (JSON on stdin) as text for people."""
import json
import sys

r = json.load(sys.stdin)
parties = r.get("parties") or r["id"].split("-")
print(f"\n{parties[0]} – {parties[1]}: {r['status']}  (version {r.get('version')}, {r.get('eventCount')} statements in effect)")
inv = r.get("invitation")
if inv:
    extra = f", with {', '.join(inv['incentives'])}" if inv.get("incentives") else ""
    print(f"  invitation        {inv['from']} → {inv['to']}, issued {inv['issuedAt']}{extra}")
if r.get("awaitingResponseFrom"):
    since = f" (silent since {r['silentSince']})" if r.get("silentSince") else ""
    print(f"  awaiting          {r['awaitingResponseFrom']}{since}")
if r.get("meeting"):
    m = r["meeting"]
    print(f"  meeting           {m.get('at') or 'date open'} at {m.get('location') or 'place open'}")
for title, key in (("conditions", "conditions"), ("incentives", "incentives")):
    for party, positions in sorted((r.get(key) or {}).items()):
        for i, p in enumerate(positions):
            label = f"{title} {party}" if i == 0 else ""
            times = f", stated {p['timesStated']}×" if p.get("timesStated", 1) > 1 else ""
            print(f"  {label:<18}- {p['text']} (since {p['firstStatedAt'][:10]}{times})")
last = r.get("lastEvent")
if last:
    print(f"  last statement    {last['occurredAt'][:10]} {last['type']} by {last['source']}: {last.get('summary') or ''}")
print()
