#!/usr/bin/env bash
# CI, compose job: the statements and the PRK-USA projection survive a recreated broker container, and a replay
# from the topic reproduces the projection.
#   compose-durability.sh record   - after the seed: remember the topic's size and the projection
#   compose-durability.sh verify   - after `docker compose up --force-recreate kafka`: compare, replay, compare
set -euo pipefail
STATE="${RUNNER_TEMP:-/tmp}/parley-compose"
STATUS=http://127.0.0.1:8082
ADMIN="Authorization: Bearer ${PARLEY_ADMIN_TOKEN:-dev-admin-token}"
mkdir -p "$STATE"

records() { # sum of the end offsets of the statements topic
  docker compose exec -T kafka /opt/kafka/bin/kafka-get-offsets.sh --bootstrap-server localhost:9092 \
    --command-config /tmp/admin.properties \
    --topic diplomatic-statements | awk -F: '{ sum += $3 } END { print sum + 0 }'
}
# The projection without updatedAt (a replay rewrites the row, not the state).
projection() {
  curl -sf "$STATUS/relationships/PRK/USA" | python3 -c 'import json,sys; r=json.load(sys.stdin); r.pop("updatedAt",None); print(json.dumps(r, sort_keys=True))'
}
await() { # what, command...
  local what=$1; shift
  for _ in $(seq 1 120); do "$@" && return 0; sleep 1; done
  echo "timed out waiting for $what" >&2; return 1
}
same_projection() { [[ "$(projection 2>/dev/null)" == "$(cat "$STATE/projection")" ]]; }
replay_done() { curl -sf "$STATUS/admin/replay" -H "$ADMIN" | grep -q '"state":"DONE"'; }

case "${1:-}" in
  record)
    records >"$STATE/records"
    projection >"$STATE/projection"
    (( $(cat "$STATE/records") > 0 )) || { echo "no statements on the topic" >&2; exit 1; }
    echo "recorded $(cat "$STATE/records") statements; PRK-USA: $(cat "$STATE/projection" | head -c 120)..."
    ;;
  verify)
    after=$(records)
    [[ "$after" == "$(cat "$STATE/records")" ]] || { echo "statements before: $(cat "$STATE/records"), after: $after" >&2; exit 1; }
    await "the PRK-USA projection" same_projection
    curl -sf -X POST "$STATUS/admin/replay" -H "$ADMIN" >/dev/null
    await "the replay" replay_done
    same_projection || { echo "the replay did not reproduce PRK-USA: $(projection)" >&2; exit 1; }
    echo "after recreating the broker: $after statements, PRK-USA unchanged, and a replay reproduced it"
    ;;
  *) echo "usage: $0 record|verify" >&2; exit 2 ;;
esac
