#!/usr/bin/env bash
# Side by side with a reference (issue 5, section 6): the one documented command.
#
#   bench/compare-nchan.sh                      # cases a and b, each against nchan and against our server
#   bench/compare-nchan.sh --cases b            # one case
#   bench/compare-nchan.sh --duration 60 --warmup 90   # (default warm-up 60 s: our JVM's JIT needs it, nchan is unaffected)
#   bench/compare-nchan.sh --quiet-wait 0       # don't wait for other work on the machine to calm down
#   bench/compare-nchan.sh --no-priority        # don't run the servers and the tool at nice -10
#   bench/compare-nchan.sh --jfr                # JFR recording of our server's runs (summarise with bench.JfrTop)
#
# Cases (same tool, same machine, same N and rate for both servers):
#   a  1,000 subscribers of everything, 50 messages/s   (ours: unfiltered /api/events; nchan: channel "all")
#   b  10,000 subscribers over 100 channels, 100 msg/s  (ours: ?staffId= filter; nchan: channel "staff<N>")
#
# nchan is nginx with Debian's libnginx-mod-nchan, started by bench/nchan/start.sh from
# bench/nchan/nchan.conf.template (it installs the packages if missing), fed the same messages
# (a change record of the same shape and size) through POST /pub/<channel>. Ours is
# server/target/royal-care-scheduler.jar on a temporary SQLite DATA_DIR, written through the API. The
# load tool (com.royalcare.loadtest.bench.CompareRun: the load tool's subscribers, writer and
# accounting) measures write-to-delivery latency, lost/duplicated, the server's CPU, and memory per
# connection (whole process tree: nginx master + workers; RSS and PSS). One table with a row per
# run and the ratios ours / nchan is appended to docs/BENCHMARKS.md; full output in
# target/bench/compare-<timestamp>/. Exit 0 when both goals (p99 ratio ≤ 1.0, memory ratio ≤ 2.0) hold.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

cases="a b" duration=30 warmup=60 quiet_wait=300 priority=true jfr=false
original_command="bench/compare-nchan.sh${*:+ $*}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cases) cases="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    --no-priority) priority=false; shift ;;
    --jfr) jfr=true; shift ;;
    --results) RESULTS="$2"; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
ensure_jar
[[ "$priority" == true ]] && use_priority
out="$ROOT/target/bench/compare-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
tsv="$out/compare.tsv"
nchan_pid="" nchan_prefix=""
stop_nchan() {
  if [[ -n "$nchan_pid" ]] && kill -0 "$nchan_pid" 2>/dev/null; then
    kill -QUIT "$nchan_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$nchan_pid" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$nchan_pid" 2>/dev/null || true
  fi
  nchan_pid=""
  [[ -n "$nchan_prefix" ]] && rm -rf "$nchan_prefix"
  nchan_prefix=""
}
trap 'stop_nchan; stop_rcs' EXIT

compare() { # compare TARGET CASE URL PID
  # shellcheck disable=SC2086
  RCS_BENCH_PASSWORD=${rcs_password:-} "${run_prio[@]}" java $TOOL_JAVA_OPTS -cp "$TOOL_JAR" com.royalcare.loadtest.bench.CompareRun \
    --target "$1" --case "$2" --url "$3" --server-pid "$4" --warmup "$warmup" --duration "$duration" --results "$tsv" \
    2>&1 | tee -a "$out/$1-case-$2.log"
  return "${PIPESTATUS[0]}"
}

status=0
busy_notes=()
for c in $cases; do
  wait_quiet "$quiet_wait"; busy_notes+=("case $c, nchan: machine ${LAST_BUSY}% busy before")
  nchan_prefix=$(mktemp -d /tmp/rcs-bench-nchan.XXXXXX)
  port=$(free_port)
  nchan_pid=$("${run_prio[@]}" "$ROOT/bench/nchan/start.sh" "$port" "$nchan_prefix")
  compare nchan "$c" "http://127.0.0.1:$port" "$nchan_pid" || status=1
  stop_nchan

  wait_quiet "$quiet_wait"; busy_notes+=("case $c, ours: ${LAST_BUSY}% busy before")
  if [[ "$jfr" == true ]]; then RCS_JFR_OPT="-XX:StartFlightRecording=filename=$out/server-case-$c.jfr,settings=profile"; fi
  start_rcs "$out/server-case-$c.log"
  compare royalcare "$c" "$rcs_url" "$rcs_pid" || status=1
  stop_rcs
done

results_header "Side by side with nchan (issue 5 §6)" "$original_command"
{
  echo "- nchan: $(nginx -v 2>&1 | sed 's/^nginx version: //'), libnginx-mod-nchan $(dpkg-query -W -f='${Version}' libnginx-mod-nchan 2>/dev/null || echo '?'), bench/nchan/nchan.conf.template (worker_processes auto = $(nproc)); warm-up ${warmup} s, measured ${duration} s per run"
  echo "- Machine activity: ${busy_notes[*]}"
  echo "- Memory per connection = (server memory, max while measuring − before any stream opened, after a warm-up of writes at the same rate) / N; for nchan summed over master + workers. RSS counts nchan's shared memory once per worker, PSS once."
  echo
  java -cp "$TOOL_JAR" com.royalcare.loadtest.bench.CompareRun --report "$tsv"
} >>"$RESULTS"
if grep -q '\*\*missed\*\*' <(java -cp "$TOOL_JAR" com.royalcare.loadtest.bench.CompareRun --report "$tsv"); then status=1; fi
[[ "$jfr" == true ]] && echo "JFR recordings: $out/server-case-*.jfr (java -cp $TOOL_JAR com.royalcare.loadtest.bench.JfrTop FILE)" >&2
echo "results appended to $RESULTS; logs in $out" >&2
exit $status
