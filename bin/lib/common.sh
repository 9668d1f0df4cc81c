# What the bin/ scripts share. Source it with ROOT set to the repository root:
#   source "$ROOT/bin/lib/common.sh"
# Messages are prefixed with the calling script's name (override with SCRIPT_NAME).

SCRIPT_NAME="${SCRIPT_NAME:-$(basename "$0")}"
say() { echo "$SCRIPT_NAME: $*" >&2; }
die() { say "$*"; exit 1; }

# Runs the calling script again under a lock named $1, so that two runs sharing fixed ports or a database on one
# machine take turns instead of breaking each other (a second bin/bench would drop the first one's database).
# Only the waiting flock process holds the lock (-o): the brokers and services the script starts do not.
#   run_alone NAME "$@"   (at the top of a script, after sourcing this file)
run_alone() { # name args...
  local name="$1" lock
  shift
  [[ "${PARLEY_LOCK_HELD:-}" == "$name" ]] && return 0
  command -v flock >/dev/null || return 0
  lock="${TMPDIR:-/tmp}/parley-$name.lock"
  flock -n -o "$lock" true || say "another run holds $lock (same ports or database): waiting for it to finish"
  PARLEY_LOCK_HELD="$name" exec flock -o "$lock" bash "$ROOT/bin/$(basename "$0")" "$@"
}

# True when something accepts TCP connections on 127.0.0.1 (or $2) at port $1.
port_open() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "needs root for: $*"; fi
}

# Installs the named Debian packages when the matching command is missing: need_tools cmd[:package] ...
need_tools() {
  local spec missing=()
  for spec in "$@"; do command -v "${spec%%:*}" >/dev/null || missing+=("${spec#*:}"); done
  ((${#missing[@]})) || return 0
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  say "installing ${missing[*]}"
  as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}"
}

# --- the local broker -------------------------------------------------------------------------------------
# DEVELOPMENT DEFAULTS, not secrets (they are in this repository): the local broker's SCRAM-SHA-512 users, which
# bin/kafka creates when it formats its storage. The development scripts hand them to the services
# (PARLEY_KAFKA_USERNAME / PARLEY_KAFKA_PASSWORD) and to the tools; a deployment sets its own
# (docs/operations.md, "Broker credentials"). The admin user is the broker's super user (brokers, controllers,
# ACLs, and test or bench fixtures that write topics directly).
KAFKA_DEV_ADMIN_USER=parley-admin
KAFKA_DEV_ADMIN_PASSWORD="${PARLEY_DEV_KAFKA_ADMIN_PASSWORD:-development-only-admin-password}"
KAFKA_DEV_INGEST_USER=ingest-service
KAFKA_DEV_INGEST_PASSWORD="${PARLEY_DEV_KAFKA_INGEST_PASSWORD:-development-only-ingest-password}"
KAFKA_DEV_STATUS_USER=status-service
KAFKA_DEV_STATUS_PASSWORD="${PARLEY_DEV_KAFKA_STATUS_PASSWORD:-development-only-status-password}"
# kcat's options to act as the admin user: PLAIN, which bin/kafka offers to the admin alone, because Debian's
# kcat (librdkafka before 2.6.1) fails SCRAM against Kafka 4.
KCAT_ADMIN=(-X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=PLAIN
  -X "sasl.username=$KAFKA_DEV_ADMIN_USER" -X "sasl.password=$KAFKA_DEV_ADMIN_PASSWORD")
# Runs a command as one of the development principals (ingest, status): as_kafka_user ingest launch_service ...
as_kafka_user() { # ingest|status command...
  local who="$1"; shift
  case "$who" in
    ingest) PARLEY_KAFKA_USERNAME="$KAFKA_DEV_INGEST_USER" PARLEY_KAFKA_PASSWORD="$KAFKA_DEV_INGEST_PASSWORD" "$@" ;;
    status) PARLEY_KAFKA_USERNAME="$KAFKA_DEV_STATUS_USER" PARLEY_KAFKA_PASSWORD="$KAFKA_DEV_STATUS_PASSWORD" "$@" ;;
    *) die "as_kafka_user: ingest or status, not $who" ;;
  esac
}
# Starts bin/kafka (one node, or a cluster with $1 = 3) unless it already runs, and remembers whether this
# script started it, so that stop_our_broker leaves the machine as it was found. Exports the bootstrap list.
STARTED_BROKER=""
start_broker() { # [brokers]
  local brokers="${1:-1}"
  "$ROOT/bin/kafka" status >/dev/null 2>&1 || STARTED_BROKER=yes
  "$ROOT/bin/kafka" start --brokers "$brokers"
  KAFKA_BOOTSTRAP_SERVERS="$("$ROOT/bin/kafka" bootstrap --brokers "$brokers")"
  export KAFKA_BOOTSTRAP_SERVERS
}
stop_our_broker() { if [[ -n "$STARTED_BROKER" ]]; then "$ROOT/bin/kafka" stop; fi; return 0; }

# --- the services -----------------------------------------------------------------------------------------
# Small, bounded JVMs (docs/benchmarks.md, "Memory of the services"): SerialGC, capped code cache and metaspace,
# glibc's free memory handed back every 5 s (C2's arenas and start-up's class loading leave tens of MB in
# malloc's free lists), two malloc arenas rather than one per thread. The heap per service (service_heap) is
# sized to its live set under the bench's load (ingest ~25 MB; status-service ~80 MB while it folds a
# 10,000-record poll), with a young generation large enough not to add GC time per statement.
# The images (src/main/docker/Dockerfile.jvm) carry the same options.
SERVICE_JAVA_OPTS="-XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m -Xss512k -XX:TrimNativeHeapInterval=5000"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
service_heap() { # name
  case "$1" in
    ingest-service) echo -Xmx128m ;;
    *) echo -Xmx160m ;;
  esac
}

# Where a service on HTTP port $1 answers health and metrics: its management interface, HTTP port + 1000
# (quarkus.management.enabled; launch_service passes the same port to the service).
management_port() { echo $(($1 + 1000)); }
ready_url() { echo "http://127.0.0.1:$(management_port "$1")/q/health/ready"; }
metrics_url() { echo "http://127.0.0.1:$(management_port "$1")/q/metrics"; }

# The library modules both services are built from (their main sources end up in both runnable jars).
LIBRARY_MODULES=(contract service-support)

# Builds the runnable jars when missing or older than any source or pom they are built from: the service's
# own, the library modules' and the parent pom (the stale-jar check).
build_services() { # build-log
  local module library stale="" sources=("$ROOT/pom.xml")
  for library in "${LIBRARY_MODULES[@]}"; do
    sources+=("$ROOT/$library/src/main" "$ROOT/$library/pom.xml")
  done
  for module in ingest-service status-service; do
    local jar="$ROOT/$module/target/quarkus-app/quarkus-run.jar"
    if [[ ! -f "$jar" || -n "$(find "$ROOT/$module/src/main" "$ROOT/$module/pom.xml" "${sources[@]}" -newer "$jar" -print -quit)" ]]; then
      stale=yes
    fi
  done
  [[ -z "$stale" ]] && return 0
  say "building the services (./mvnw package -DskipTests)..."
  mkdir -p "$(dirname "$1")"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests) >"$1" 2>&1 || die "build failed, see $1"
}

# Starts a service in the background with the caller's environment; appends its pid to the pids array.
launch_service() { # name port log
  # shellcheck disable=SC2086 # the options are a word list
  # An -Xmx in PARLEY_SERVICE_JAVA_OPTS wins over service_heap's (the last one given counts).
  java "$(service_heap "$1")" ${PARLEY_SERVICE_JAVA_OPTS:-$SERVICE_JAVA_OPTS} -XX:+ExitOnOutOfMemoryError -Dquarkus.http.port="$2" \
    -Dquarkus.management.port="$(($2 + 1000))" -jar "$ROOT/$1/target/quarkus-app/quarkus-run.jar" >"$3" 2>&1 &
  pids+=($!)
}

# Waits until the service's readiness check answers UP; dies with its log's tail if it exits or times out.
await_ready() { # name port pid log
  local deadline=$((SECONDS + ${PARLEY_UP_TIMEOUT:-120}))
  until curl -sf "$(ready_url "$2")" >/dev/null; do
    kill -0 "$3" 2>/dev/null || { tail -15 "$4" >&2; die "$1 exited during start-up, see $4"; }
    ((SECONDS < deadline)) || die "$1 not ready after ${PARLEY_UP_TIMEOUT:-120}s, see $4"
    sleep 0.5
  done
}

# SIGTERM to every pid in pids, then wait for them (used by the scripts' exit traps).
stop_services() {
  ((${#pids[@]})) || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
}
