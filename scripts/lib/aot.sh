# Sourced by scripts/bench: the JDK's ahead-of-time caches (JEP 483, 514, 515; JDK 25 and newer) for the server and
# the load generator. A fresh JVM interprets its hot paths for its first seconds, and on the fan-out benchmark those
# seconds were the whole run's p99 (docs/benchmarks.md, "A cold JVM"). Each cache is recorded once per build, on an
# unmeasured training run; every measured run then starts with the classes loaded and linked and the hot methods'
# profiles known. BENCH_AOT=0 measures without them. On an older JDK nothing changes.

server_aot=server/target/parley-server.aot
loadgen_aot=clients/loadgen/target/parley-loadgen.aot

aot_supported() {
  [ "${BENCH_AOT:-1}" != 0 ] && [ "$(java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null
}

# A cache older than what it was recorded from describes other code: the JVM would refuse it (the class path's jars
# changed) or it would profile the old methods.
aot_fresh() {
  [ -f "$server_aot" ] && [ -f "$loadgen_aot" ] \
    && [ "$server_aot" -nt server/target/quarkus-app/quarkus-run.jar ] \
    && [ "$loadgen_aot" -nt clients/loadgen/target/parley-loadgen-0.1.0-SNAPSHOT.jar ]
}

# JVM options for the server and the load generator: record while training, use the caches otherwise.
aot_server_opts() {
  if [ -n "${BENCH_AOT_RECORD:-}" ]; then echo "-XX:AOTCacheOutput=$server_aot"
  elif aot_supported && [ -f "$server_aot" ]; then echo "-XX:AOTCache=$server_aot"; fi
}

aot_loadgen_opts() {
  if [ -n "${BENCH_AOT_RECORD:-}" ]; then echo "-XX:AOTCacheOutput=$loadgen_aot"
  elif aot_supported && [ -f "$loadgen_aot" ]; then echo "-XX:AOTCache=$loadgen_aot"; fi
}

# The training run: the fan-out and the sends workloads, on their own server, results discarded.
aot_train() {
  aot_supported && ! aot_fresh && [ -z "${BENCH_AOT_RECORD:-}" ] || return 0
  echo "recording the JVMs' ahead-of-time caches on a training run (once per build, about two minutes)" >&2
  rm -f "$server_aot" "$loadgen_aot"
  BENCH_AOT_RECORD=1 "$0" fanout --members=200 --messages=3000 --rate=200 > /dev/null 2>&1 \
    || echo "the training run failed; measuring without ahead-of-time caches" >&2
  # Each JVM writes its cache in a process of its own after it exits.
  for _ in $(seq 1 120); do [ -f "$server_aot" ] && [ -f "$loadgen_aot" ] && break; sleep 1; done
  aot_fresh || echo "no ahead-of-time caches recorded; measuring without them" >&2
}
