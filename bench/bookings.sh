#!/usr/bin/env bash
# Bookings under load (issue 10, section 9): the one documented command.
#
#   bench/bookings.sh                         # the issue's figures: 20 operators at once, a day of 1,000 visits
#   bench/bookings.sh --short                 # a quick look: 5 operators, a day of 200 visits (about 30 s)
#   bench/bookings.sh --quiet-wait 0          # don't wait for other work on the machine to calm down
#   bench/bookings.sh --no-priority           # don't run server and tool at nice -10
#   bench/bookings.sh -- --operators 40       # anything after -- goes to the tool (see BookingBenchmark's javadoc)
#
# It (re)builds the server and load-tool jars when stale, starts the server as its own `java -jar`
# process on a temporary SQLite DATA_DIR, and runs com.royalcare.loadtest.bench.BookingBenchmark in a
# second JVM: it creates a service, clients, operator accounts and therapists with availability; 20
# operators (one session and one client thread each) book at once, each its own therapist's visits
# plus visits it races a neighbour for (exactly one of each two must get 201, the other 409
# STAFF_BOOKED); the lists are read back to prove nobody is double-booked; then one day is filled with
# 1,000 visits and GET /api/appointments?date= (and the board's other reads of a day) is timed.
# It appends the machine, the command and two tables to docs/BENCHMARKS.md. Full output:
# target/bench/bookings-<timestamp>/. Exit 0 when every count came out as planned.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

quiet_wait=300 priority=true extra=()
original_command="bench/bookings.sh${*:+ $*}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --short) extra+=(--operators 5 --bookings 20 --contested 3 --warmup 20 --day 200 --reads 100 --read-warmup 30); shift ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    --no-priority) priority=false; shift ;;
    --results) RESULTS="$2"; shift 2 ;;
    --) shift; extra+=("$@"); break ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
ensure_jar
[[ "$priority" == true ]] && use_priority
out="$ROOT/target/bench/bookings-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
trap 'stop_rcs' EXIT

wait_quiet "$quiet_wait"
results_header "Bookings under load (issue 10 §9)" "$original_command"
start_rcs "$out/server.log"
status=0
# shellcheck disable=SC2086
RCS_BENCH_PASSWORD=$rcs_password "${run_prio[@]}" java $TOOL_JAVA_OPTS -cp "$TOOL_JAR" com.royalcare.loadtest.bench.BookingBenchmark \
  --url "$rcs_url" --server-pid "$rcs_pid" --markdown "$RESULTS" "${extra[@]}" 2>&1 | tee "$out/tool.log" || status=$?
stop_rcs
{
  echo
  echo "_Machine: busy ${LAST_BUSY}% of one core before the run; load average after: $(cut -d' ' -f1-3 /proc/loadavg).${extra[*]:+ Tool flags: ${extra[*]}.}_"
} >>"$RESULTS"
(( status == 0 )) || echo "**Run failed** (tool exit status $status); see $out/tool.log" >>"$RESULTS"
echo "results appended to $RESULTS; logs in $out" >&2
exit $status
