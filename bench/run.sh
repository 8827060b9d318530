#!/usr/bin/env bash
# Live-sync benchmark (issue 3, section 9): the one documented command.
#
#   bench/run.sh                      # scenarios 1, 2, 3 and 4, each against a fresh server it starts
#                                     # (4: 20,000 idle streams — server CPU while idle, RSS per stream)
#   bench/run.sh --scenarios "3"      # just one
#   bench/run.sh --url http://host:8080 --password PW     # against a server you run yourself
#   bench/run.sh --duration 60 --warmup 90 --jfr          # longer; JFR recording of each server run
#   bench/run.sh -- --subscribers 2000 --rate 80          # anything after -- goes to the tool
#   bench/run.sh --quiet-wait 0                           # don't wait for other work on the machine to stop
#   bench/run.sh --no-priority                            # don't run server and tool at nice -10
#   bench/run.sh --data-parent /dev/shm                   # diagnostic: database on tmpfs (no disk in the way)
#   SERVER_JAVA_OPTS=-Xmx512m bench/run.sh                # server JVM options
#
# It (re)builds server/target/royal-care-scheduler.jar and loadtest/target/royal-care-loadtest.jar when
# missing or older than the sources, raises the open-files limit, and for each
# scenario starts the server as its own `java -jar` process on a temporary DATA_DIR (SQLite) with
# INITIAL_OPERATOR_PASSWORD set, runs the load tool (com.royalcare.loadtest.bench.LoadTool, in the
# load-tool jar) in a second JVM, stops the server, and appends the machine, the command and one table
# row per scenario to docs/BENCHMARKS.md. Full tool output: target/bench/<timestamp>/.
# Warm-up is 60 s by default: the JIT compiles the request path only after some thousands of calls,
# and 10 s at 20 writes/s (200 requests) left scenario 1 measuring partly interpreted code
# (p50 4.11 ms after 10 s of warm-up, 2.42 ms after 60 s, same build and machine).
# Exit status: 0 when every scenario met its goals, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TOOL_CLASS=com.royalcare.loadtest.bench.LoadTool
RESULTS="$ROOT/docs/BENCHMARKS.md"
# free_port, machine_busy, wait_quiet: shared with storm.sh and compare-nchan.sh
source "$ROOT/bench/common.sh"

url="" password="${RCS_BENCH_PASSWORD:-}" scenarios="1 2 3 4" duration=30 warmup=60 jfr=false quiet_wait=300
priority=true data_parent=/tmp
server_pid_flag=() extra=()
original_command="bench/run.sh"
prev=""
for a in "$@"; do # as typed, with any password blanked out
  if [[ "$prev" == --password ]]; then a="***"; fi
  original_command+=" $a"; prev=$a
done
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --password) password="$2"; shift 2 ;;
    --server-pid) server_pid_flag=(--server-pid "$2"); shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --jfr) jfr=true; shift ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    --no-priority) priority=false; shift ;;
    --data-parent) data_parent="$2"; shift 2 ;;
    --results) RESULTS="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

# common.sh raised the open-files limit: 10,000 streams need 10,000+ descriptors in the tool and the server
nofile=$(ulimit -n)
if (( nofile < 12000 )); then
  echo "warning: open-files limit is $nofile; scenario 3 needs more than 10,000" >&2
fi
ensure_jar

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$ROOT/target/bench/$stamp"
mkdir -p "$out"

# On a shared machine, builds and tests of others compete for the two cores. By default the server
# and the tool run at nice -10 (when allowed) so such work yields to them; "other CPU" in the
# results still shows what else ran.
[[ "$priority" == true ]] && use_priority
RCS_DATA_PARENT=$data_parent
trap stop_rcs EXIT

start_server() { # $1 = scenario; a fresh server with its own data dir and password: sets base_url, server_pid, password
  rcs_password=""
  RCS_JFR_OPT=""
  if [[ "$jfr" == true ]]; then
    RCS_JFR_OPT="-XX:StartFlightRecording=filename=$out/server-scenario-$1.jfr,settings=profile"
  fi
  start_rcs "$out/server-scenario-$1.log" || exit 1
  base_url=$rcs_url server_pid=$rcs_pid password=$rcs_password
}

# --- the results section header: machine, software, command -------------------------------------
if [[ ! -f "$RESULTS" ]]; then
  cat >"$RESULTS" <<'EOF'
# Benchmarks

Live-sync load benchmark (issue 3, section 9). Reproduce with `bench/run.sh` (see the header of
that script for options). Each scenario holds N Server-Sent-Events subscribers on `/api/events`,
writes availability through the API at a fixed rate (a create, update, delete cycle over a few
slot positions per staff member) and measures, per delivered event, the time from the start of
the API call to the arrival of the event's bytes at the subscriber. Latency is from measured
writes only (a warm-up period is excluded); lost/duplicated count every write of the run.

Columns: *deliveries expected* = Σ over successful writes of the subscribers whose filter matches;
*lost* = expected but never received (after a drain of up to 15 s); *dup* = events whose sequence
number did not increase on a stream, plus deliveries beyond one per subscriber; *write RTT* = the
API call's own round trip; *server CPU* = utime+stime of the server process over the measured
period (100 % = one core); *server RSS max* = highest VmRSS sampled every 0.5 s; *tool CPU* = the
load tool's own process; *other CPU* = everything else busy on the machine in that period (other
work sharing the two cores — it distorts latency, so it is reported); *p99 split* = per measured
write, API start → change appended (the event's `at`) / appended → first subscriber / first → last
subscriber; *fsync p99* = a 4 KiB fsync probed ten times a second during the run.

## Run log (appended by `bench/run.sh`)
EOF
fi

cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
mem_total=$(free -h | awk '/^Mem:/ {print $2}')
java_version=$(java -version 2>&1 | head -1)
git_rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git_dirty=$(git status --porcelain -- . ':!docs/BENCHMARKS.md' 2>/dev/null | grep -q . && echo "+local changes" || true)
{
  echo
  echo "### $(date -u '+%Y-%m-%d %H:%M UTC') — commit $git_rev$git_dirty"
  echo
  echo "- Command: \`$original_command\`"
  echo "- Machine: $(nproc) cores ($cpu_model), $mem_total RAM; $java_version; open-files limit $nofile;" \
       "load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
  if [[ -n "$url" ]]; then
    echo "- Server: $url (started by someone else)"
  else
    echo "- Server: \`java @server/jvm.options ${SERVER_JAVA_OPTS:+$SERVER_JAVA_OPTS }-jar server/target/royal-care-scheduler.jar\` ($(grep -v "^#" "$SERVER_JVM_FILE" | xargs)), fresh per scenario," \
         "SQLite in a temporary DATA_DIR under $data_parent ($(df --output=fstype "$data_parent" | tail -1));" \
         "tool: \`java $TOOL_JAVA_OPTS -cp <jar> $TOOL_CLASS\`"
  fi
  echo "- Warm-up ${warmup} s, measured ${duration} s per scenario${extra[*]:+; extra tool flags: ${extra[*]}};" \
       "${run_prio[*]:-normal priority}${run_prio[*]:+ for server and tool}"
  echo
  java -cp "$TOOL_JAR" "$TOOL_CLASS" --markdown-header
} >>"$RESULTS"

status=0
for s in $scenarios; do
  wait_quiet "$quiet_wait"
  if [[ -n "$url" ]]; then
    base_url=$url
    [[ -n "$password" ]] || { echo "--url needs --password or RCS_BENCH_PASSWORD" >&2; exit 2; }
    pid_flag=("${server_pid_flag[@]}")
  else
    start_server "$s"
    pid_flag=(--server-pid "$server_pid")
  fi
  if [[ "$s" == 4 ]]; then # idle streams: its own table (memory and idle CPU, no deliveries)
    # 20,000, or as many as the open-files limit leaves room for (server and tool each hold one
    # descriptor per stream, plus some hundred of their own): a sandbox may cap it at 20,000
    idle_streams=$(( $(ulimit -n) - 500 )); (( idle_streams > 20000 )) && idle_streams=20000
    idle_note=""; (( idle_streams < 20000 )) && idle_note="; $idle_streams, not 20,000: this machine caps open files at $(ulimit -n) per process"
    { echo; echo "**Scenario 4: $(printf "%'d" "$idle_streams") idle streams** (heartbeats only; 30 s idle$idle_note)"; echo; java -cp "$TOOL_JAR" com.royalcare.loadtest.bench.Benchmarks idle; } >>"$RESULTS"
    # shellcheck disable=SC2086
    RCS_BENCH_PASSWORD=$password "${run_prio[@]}" java $TOOL_JAVA_OPTS -cp "$TOOL_JAR" com.royalcare.loadtest.bench.IdleMemoryBenchmark \
        --url "$base_url" "${pid_flag[@]}" --streams "$idle_streams" --channels 100 --settle 30 \
        --server-jvm-options "${SERVER_JAVA_OPTS:-as in the README}" --markdown "$RESULTS" 2>&1 | tee "$out/tool-scenario-4.log" || status=1
    echo >>"$RESULTS"
    [[ -z "$url" ]] && stop_rcs
    continue
  fi
  echo "=== scenario $s against $base_url (log: $out/tool-scenario-$s.log) ===" >&2
  # shellcheck disable=SC2086
  tool_status=0
  RCS_BENCH_PASSWORD=$password "${run_prio[@]}" java $TOOL_JAVA_OPTS -cp "$TOOL_JAR" "$TOOL_CLASS" \
      --url "$base_url" --scenario "$s" --duration "$duration" --warmup "$warmup" \
      "${pid_flag[@]}" --markdown "$RESULTS" "${extra[@]}" 2>&1 | tee "$out/tool-scenario-$s.log" || tool_status=$?
  (( tool_status == 0 )) || status=1
  if ! tail -1 "$RESULTS" | grep -q "^| scenario $s "; then
    why="tool exited with status $tool_status"
    (( tool_status > 128 )) && why+=" (killed by signal $((tool_status - 128)) from outside the run)"
    echo "| scenario $s | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | **run failed**: $why; see the tool log |" >>"$RESULTS"
    status=1
  fi
  [[ -z "$url" ]] && stop_rcs
done
if [[ "$jfr" == true && -z "$url" ]]; then
  echo "JFR recordings: $out/server-scenario-*.jfr; summarise one with: java -cp $TOOL_JAR com.royalcare.loadtest.bench.JfrTop <file.jfr>" >&2
fi
echo "results appended to $RESULTS" >&2
exit $status
