#!/usr/bin/env bash
# What a late statement costs on a long relationship: N statements (default 200,000) on one relationship,
# folded by a status-service at the usual heap, then late reports at several depths and a retraction
# (bench/late-report.py), timed until visible, with the service's peak RSS. bin/bench runs it in its full run;
# alone (the local broker must run):
#   bench/late-report.sh [--db NAME] [--port HTTP_PORT] [--app QUARKUS_APP_DIR] [--n N]
# The database is emptied first (its public schema dropped); default parley_bench_late.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SCRIPT_NAME=late-report
# shellcheck source=../bin/lib/common.sh
source "$ROOT/bin/lib/common.sh"

DB=parley_bench_late; PORT=18084; APP="$ROOT/status-service/target/quarkus-app"; N=200000
while (($#)); do
  case "$1" in
    --db) DB="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --app) APP="$2"; shift 2 ;;
    --n) N="$2"; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
BOOT="127.0.0.1:${PARLEY_KAFKA_PORT:-9092}"
RUN="$(date +%s)"
TOPIC="late-$RUN"
WORK="$ROOT/.local/bench/late-$RUN"
mkdir -p "$WORK"
export PGPASSWORD="${PARLEY_DB_PASSWORD:-parley}"
need_tools kcat psql:postgresql-client
port_open "${PARLEY_KAFKA_PORT:-9092}" || die "no broker on $BOOT (bin/kafka start)"
# Topics and records by hand as the broker's admin user; the service as its own principal (bin/lib/common.sh).
ADMIN_CONF="$(bin/kafka client-config)"
export PARLEY_KCAT_USERNAME="$KAFKA_DEV_ADMIN_USER" PARLEY_KCAT_PASSWORD="$KAFKA_DEV_ADMIN_PASSWORD"
[[ -f "$APP/quarkus-run.jar" ]] || die "no $APP/quarkus-run.jar (./mvnw package -DskipTests)"

q() { psql -X -q -t -A -h 127.0.0.1 -U parley -d "$DB" -c "$1"; }
if ! q "SELECT 1" >/dev/null 2>&1; then
  psql -X -q -h 127.0.0.1 -U parley -d parley -c "CREATE DATABASE $DB"
fi
q "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null

pid=""
cleanup() {
  trap - EXIT INT TERM
  [[ -n "$pid" ]] && { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  timeout 60 bin/kafka tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --command-config "$ADMIN_CONF" --delete --if-exists \
    --topic "(dlq-)?$TOPIC" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bin/kafka tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --command-config "$ADMIN_CONF" --create --topic "$TOPIC" \
  --partitions 6 >/dev/null 2>&1
python3 bench/gen-statements.py "$N" 1 | kcat -b "$BOOT" "${KCAT_ADMIN[@]}" -t "$TOPIC" -P -K $'\t' -X partitioner=murmur2_random \
  -X linger.ms=20 -X batch.num.messages=10000
say "$N statements on one relationship published; starting status-service on $PORT"

# shellcheck disable=SC2086 # the options are a word list
KAFKA_BOOTSTRAP_SERVERS="$BOOT" PARLEY_TOPIC="$TOPIC" PARLEY_CONSUMER_GROUP="late-$RUN" PARLEY_DLQ_TOPIC="dlq-$TOPIC" \
PARLEY_KAFKA_USERNAME="$KAFKA_DEV_STATUS_USER" PARLEY_KAFKA_PASSWORD="$KAFKA_DEV_STATUS_PASSWORD" \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" QUARKUS_DATASOURCE_USERNAME=parley \
QUARKUS_DATASOURCE_PASSWORD="$PGPASSWORD" PARLEY_ALLOW_DEVELOPMENT_TOKENS=true \
  java ${PARLEY_SERVICE_JAVA_OPTS:-$SERVICE_JAVA_OPTS} -XX:+ExitOnOutOfMemoryError -Dquarkus.http.port="$PORT" \
  -Dquarkus.management.port="$(management_port "$PORT")" -jar "$APP/quarkus-run.jar" >"$WORK/status.log" 2>&1 &
pid=$!
await_ready status-service "$PORT" "$pid" "$WORK/status.log"
t0=$SECONDS
until [[ "$(q "SELECT coalesce(sum(next_offset), 0) FROM consumer_offset")" -ge "$N" ]]; do
  kill -0 "$pid" 2>/dev/null || { tail -15 "$WORK/status.log" >&2; die "status-service exited, see $WORK/status.log"; }
  ((SECONDS - t0 < 900)) || die "status-service did not fold the $N statements within 900 s"
  sleep 0.5
done
rss_folded="$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")"
say "folded in ~$((SECONDS - t0)) s (peak RSS $rss_folded MB); the late reports:"
python3 bench/late-report.py "$BOOT" "$TOPIC" "http://127.0.0.1:$PORT" "$(metrics_url "$PORT")" "$N" | tee "$WORK/late.txt"
kill -0 "$pid" 2>/dev/null || die "status-service exited during the late reports, see $WORK/status.log"
rss="$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")"
echo "peak RSS of status-service: $rss_folded MB after folding the history, $rss MB after the late reports"
echo "$(grep '^RESULT' "$WORK/late.txt") RSS $rss"
