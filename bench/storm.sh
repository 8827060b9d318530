#!/usr/bin/env bash
# Load and slow consumers (issue 5, section 5): the one documented command.
#
#   bench/storm.sh                               # all four drills, each against a fresh server it starts
#   bench/storm.sh --drills "storm catchup"      # some of them: storm slow idle catchup
#   bench/storm.sh --quiet-wait 0                # don't wait for other work on the machine to calm down
#   bench/storm.sh --no-priority                 # don't run server and tool at nice -10
#   bench/storm.sh --jfr                         # JFR recording of each server run (summarise: bench.JfrTop)
#
# Benchmarks (defaults give the issue's figures; see each class's javadoc for its flags):
#   storm   10,000 streams (filtered to 100 staff), 100 writes/s; all dropped at once and resumed with
#           Last-Event-ID 2 s later while writes continue: time to all caught up (goal ≤ 10 s), 0 lost, 0 dup
#   slow    1,000 healthy streams of everything at 50 writes/s, plus one client reading at 1 KB/s: healthy p99
#           with it vs without it (goal: ≤ +10 ms), the server cuts it, it resumes without loss
#   idle    10,000 idle streams: server RSS delta per stream (goal ≤ 30 KiB), also after a full GC
#   catchup a client that missed 10,000 changes resumes: connect → last event (goal ≤ 1 s), from the
#           server's memory and, after a restart, from the database; and the same by polling
#
# It (re)builds the server and load-tool jars when stale, starts the server per drill as its own
# `java -jar` process on a temporary SQLite DATA_DIR, runs the drill (a class of the bench package in
# a second JVM) and appends the machine, the command, the load average and one table per drill to
# docs/BENCHMARKS.md. Full output: target/bench/storm-<timestamp>/. Exit 0 when every drill met its goal.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

drills="storm slow idle catchup" quiet_wait=300 priority=true jfr=false
original_command="bench/storm.sh${*:+ $*}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --drills) drills="$2"; shift 2 ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    --no-priority) priority=false; shift ;;
    --jfr) jfr=true; shift ;;
    --results) RESULTS="$2"; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
ensure_jar
[[ "$priority" == true ]] && use_priority
out="$ROOT/target/bench/storm-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
trap 'stop_rcs' EXIT

tool() { # tool CLASS LOG args...
  local cls=$1 log=$2; shift 2
  # shellcheck disable=SC2086
  RCS_BENCH_PASSWORD=$rcs_password "${run_prio[@]}" java $TOOL_JAVA_OPTS -cp "$TOOL_JAR" "com.royalcare.loadtest.bench.$cls" "$@" 2>&1 | tee -a "$log"
  return "${PIPESTATUS[0]}"
}

server() { # server NAME [DATA_DIR PORT]: fresh server (or a restart on the same data)
  if [[ "$jfr" == true ]]; then RCS_JFR_OPT="-XX:StartFlightRecording=filename=$out/server-$1.jfr,settings=profile"; fi
  start_rcs "$out/server-$1.log" "${2:-}" "${3:-}"
}

results_header "Load and slow consumers (issue 5 §5)" "$original_command"
status=0
table() { # table DRILL TITLE
  { echo; echo "**$2**"; echo; java -cp "$TOOL_JAR" com.royalcare.loadtest.bench.Benchmarks "$1"; } >>"$RESULTS"
}
note() { echo "$*" >>"$RESULTS"; }

for d in $drills; do
  wait_quiet "$quiet_wait"
  case "$d" in
    storm)
      table storm "Reconnect storm: all streams dropped at once, resumed with Last-Event-ID while writes continue"
      server storm
      tool StormBenchmark "$out/storm.log" --url "$rcs_url" --server-pid "$rcs_pid" --markdown "$RESULTS" || status=1
      stop_rcs ;;
    slow)
      table slow "Slow consumer: one client reading at 1 KB/s next to healthy ones (A1/A2: the same run without it)"
      server slow
      tool SlowConsumerBenchmark "$out/slow.log" --url "$rcs_url" --server-pid "$rcs_pid" --markdown "$RESULTS" || status=1
      stop_rcs ;;
    idle)
      table idle "Memory per idle connection"
      server idle
      tool IdleMemoryBenchmark "$out/idle.log" --url "$rcs_url" --server-pid "$rcs_pid" \
        --server-jvm-options "${SERVER_JAVA_OPTS:-defaults}" --markdown "$RESULTS" || status=1
      stop_rcs ;;
    catchup)
      table catchup "Catch-up of a client that missed 10,000 changes (Last-Event-ID; and by polling)"
      data=$(mktemp -d /tmp/rcs-bench-data.XXXXXX)
      port=$(free_port)
      server catchup-1 "$data" "$port"
      tool CatchUpBenchmark "$out/catchup.log" --url "$rcs_url" --step write --state "$out/catchup.state" || status=1
      tool CatchUpBenchmark "$out/catchup.log" --url "$rcs_url" --step measure --state "$out/catchup.state" \
        --source "memory (ring)" --markdown "$RESULTS" || status=1
      stop_rcs keep
      server catchup-2 "$data" "$port"
      tool CatchUpBenchmark "$out/catchup.log" --url "$rcs_url" --step measure --state "$out/catchup.state" \
        --source "database (after a restart)" --markdown "$RESULTS" || status=1
      stop_rcs keep
      rm -rf "$data" ;;
    *) echo "unknown drill $d" >&2; status=2 ;;
  esac
  note ""
  note "_Machine during the drill: busy ${LAST_BUSY}% of one core before it started; load average after: $(cut -d' ' -f1-3 /proc/loadavg)._"
done
[[ "$jfr" == true ]] && echo "JFR recordings: $out/server-*.jfr (java -cp $TOOL_JAR com.royalcare.loadtest.bench.JfrTop FILE)" >&2
echo "results appended to $RESULTS; logs in $out" >&2
exit $status
