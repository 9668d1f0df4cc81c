"""Writes N statements over R relationships as 'key<TAB>json' lines, in the published format, for kcat."""
import json
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

n, r = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(42)
letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
codes = ["USA", "PRK", "KOR", "CHN", "RUS", "JPN", "GBR", "FRA", "DEU", "IND", "PAK", "IRN", "ISR", "SAU",
         "TUR", "UKR", "BRA", "ZAF", "EGY", "MEX", "CAN", "AUS", "IDN", "VNM", "PHL", "QAT", "ARE", "NOR",
         "CHE", "SWE", "POL", "ITA", "ESP", "NGA", "ETH", "KEN", "ARG", "CHL", "COL", "MNG", "NZL", "IRL",
         "PRT", "GRC", "AUT", "BEL", "NLD", "DNK", "FIN", "CZE"]
pairs = [(a, b) for i, a in enumerate(codes) for b in codes[i + 1:]]
rng.shuffle(pairs)
pairs = pairs[:r]
types = ["INVITATION_ISSUED", "NO_RESPONSE", "CONDITIONS_REITERATED", "INCENTIVE_OFFERED",
         "INVITATION_ACCEPTED", "INVITATION_DECLINED", "MEETING_SCHEDULED"]
base = datetime(2025, 1, 1, tzinfo=timezone.utc)
out = sys.stdout
for i in range(n):
    a, b = pairs[i % len(pairs)]
    if rng.random() < 0.5:
        a, b = b, a
    t = rng.choice(types)
    occurred = base + timedelta(seconds=i * 30)
    e = {"eventId": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "type": t, "source": a, "target": b,
         "occurredAt": occurred.strftime("%Y-%m-%dT%H:%M:%SZ"),
         "recordedAt": (occurred + timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
         "speaker": "Spokesperson",
         "summary": "A spokesperson said the government remained open to dialogue at a time to be agreed."}
    if t == "CONDITIONS_REITERATED":
        e["conditions"] = ["Recognition as a nuclear power", "Lifting of sanctions first"]
    elif t == "INCENTIVE_OFFERED":
        e["incentives"] = ["Sanctions relief"]
    elif t == "MEETING_SCHEDULED":
        e["meetingAt"], e["location"] = "2025-12-01T02:00:00Z", "Panmunjom"
    key = "-".join(sorted((a, b)))
    out.write(key + "\t" + json.dumps(e, separators=(",", ":")) + "\n")
