# Shared by bin/up and bin/bench: build, launch and await the two services. Source it after defining
# say() and die(), from the repository root.

# Small, bounded JVMs: SerialGC and capped code cache/metaspace keep each service under ~250 MB RSS;
# two malloc arenas stop glibc from reserving one per thread.
SERVICE_JAVA_OPTS="-Xmx192m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m -Xss512k"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

# Builds the runnable jars when missing or older than any source or pom.
build_services() { # build-log
  local module stale=""
  for module in ingest-service status-service; do
    local jar="$module/target/quarkus-app/quarkus-run.jar"
    if [[ ! -f "$jar" || -n "$(find "$module/src/main" "$module/pom.xml" pom.xml -newer "$jar" -print -quit)" ]]; then
      stale=yes
    fi
  done
  [[ -z "$stale" ]] && return 0
  say "building the services (./mvnw package -DskipTests)..."
  mkdir -p "$(dirname "$1")"
  ./mvnw -B -q package -DskipTests >"$1" 2>&1 || die "build failed, see $1"
}

# Starts a service in the background with the caller's environment; appends its pid to pids.
launch_service() { # name port log
  java ${PARLEY_SERVICE_JAVA_OPTS:-$SERVICE_JAVA_OPTS} -XX:+ExitOnOutOfMemoryError -Dquarkus.http.port="$2" \
    -Dquarkus.management.port="$(management_port "$2")" -jar "$1/target/quarkus-app/quarkus-run.jar" >"$3" 2>&1 &
  pids+=($!)
}

# Health and metrics are on the management interface: HTTP port + 1000 (8081 -> 9081), as in the images.
management_port() { # http-port
  echo $(($1 + 1000))
}

# Waits until the service's readiness check answers UP; dies with its log's tail if it exits or times out.
await_ready() { # name port pid log
  local deadline=$((SECONDS + ${PARLEY_UP_TIMEOUT:-120}))
  until curl -sf "http://127.0.0.1:$(management_port "$2")/q/health/ready" >/dev/null; do
    kill -0 "$3" 2>/dev/null || { tail -15 "$4" >&2; die "$1 exited during start-up, see $4"; }
    ((SECONDS < deadline)) || die "$1 not ready after ${PARLEY_UP_TIMEOUT:-120}s, see $4"
    sleep 0.5
  done
}
