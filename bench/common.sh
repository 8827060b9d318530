# Shared by bench/run.sh, bench/storm.sh and bench/compare-nchan.sh (sourced, not run): the jar, the open-files
# limit, quiet-machine wait, and starting/stopping our server as its own process.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/loadtest/jars.sh"
JAR=$SERVER_JAR
RESULTS="$ROOT/docs/BENCHMARKS.md"
TOOL_JAVA_OPTS=${TOOL_JAVA_OPTS:--XX:+UseSerialGC -Xms256m -Xmx1g}
# The server starts as the README says (java @server/jvm.options -jar ...); SERVER_JAVA_OPTS come after, so they override.
SERVER_JVM_FILE="$ROOT/server/jvm.options"
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-}

# 10,000 streams (20,000 during a reconnect storm) need descriptors in the tool and the server
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

ensure_jar() { ensure_jars; }

run_prio=()
use_priority() { # server and tool at nice -10 when allowed: other work on the shared machine yields to them
  if nice -n -10 true 2>/dev/null; then run_prio=(nice -n -10); fi
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(shuf -i 20000-29999 -n 1)
    if ! ss -Htln "sport = :$p" | grep -q .; then echo "$p"; return; fi
  done
  echo "no free port found" >&2; return 1
}

# Busy share of the whole machine over 2 s, in % of one core (/proc/stat).
machine_busy() {
  local a b
  read -r _ a1 a2 a3 a4 a5 a6 a7 a8 _ < /proc/stat
  sleep 2
  read -r _ b1 b2 b3 b4 b5 b6 b7 b8 _ < /proc/stat
  a=$((a1 + a2 + a3 + a6 + a7 + a8)); b=$((b1 + b2 + b3 + b6 + b7 + b8))
  echo $(( (b - a) * 100 / 2 / $(getconf CLK_TCK) ))
}

# Waits (at most $1 seconds) until the machine is nearly idle; prints what it found.
wait_quiet() {
  local limit=${1:-300} busy waited=0
  busy=$(machine_busy)
  while (( busy > 25 && waited < limit )); do
    (( waited == 0 )) && echo "waiting up to ${limit} s for the machine to be quiet (busy: ${busy}% of one core) ..." >&2
    sleep 8; waited=$((waited + 10))
    busy=$(machine_busy)
  done
  echo "machine busy: ${busy}% of one core (waited ${waited} s), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  LAST_BUSY=$busy
}

# start_rcs LOG [DATA_DIR] [PORT] [extra env assignments...]: sets rcs_pid, rcs_url, rcs_password, rcs_data
rcs_pid="" rcs_data="" rcs_keep_data=false
start_rcs() {
  local log=$1 data=${2:-} port=${3:-}
  shift 3 || shift $#
  [[ -n "$port" ]] || port=$(free_port)
  if [[ -z "$data" ]]; then data=$(mktemp -d "${RCS_DATA_PARENT:-/tmp}/rcs-bench-data.XXXXXX"); rcs_keep_data=false; else rcs_keep_data=true; fi
  rcs_data=$data
  [[ -n "${rcs_password:-}" ]] || rcs_password="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  # shellcheck disable=SC2086
  # the tool opens up to 20,000 streams as one or a few accounts: lift the per-account cap (default 20)
  env PORT="$port" DATA_DIR="$data" INITIAL_OPERATOR_PASSWORD="$rcs_password" DEMO_DATA=false SYNC_STREAMS_PER_USER=1000000 "$@" \
    "${run_prio[@]}" java @"$SERVER_JVM_FILE" $SERVER_JAVA_OPTS ${RCS_JFR_OPT:-} -jar "$JAR" >>"$log" 2>&1 &
  rcs_pid=$!
  rcs_url="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    if curl -fsS "$rcs_url/health" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$rcs_pid" 2>/dev/null; then
      echo "server exited during startup; its log:" >&2; tail -40 "$log" >&2; return 1
    fi
    sleep 0.1
  done
  echo "server did not answer /health within 30 s" >&2; return 1
}

# stop_rcs [keep]: stops the server; removes its data dir unless "keep" or it was given by the caller
stop_rcs() {
  if [[ -n "$rcs_pid" ]] && kill -0 "$rcs_pid" 2>/dev/null; then
    kill "$rcs_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$rcs_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$rcs_pid" 2>/dev/null || true
  fi
  rcs_pid=""
  if [[ "${1:-}" != keep && "$rcs_keep_data" != true && -n "$rcs_data" ]]; then rm -rf "$rcs_data"; rcs_data=""; fi
}

# Appends the section's heading and the machine line to docs/BENCHMARKS.md.
results_header() { # $1 = title, $2 = command as typed
  local cpu_model mem_total java_version git_rev git_dirty
  cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
  mem_total=$(free -h | awk '/^Mem:/ {print $2}')
  java_version=$(java -version 2>&1 | head -1)
  git_rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git_dirty=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo "+local changes" || true)
  if [[ ! -f "$RESULTS" ]]; then printf '# Benchmarks\n' >"$RESULTS"; fi
  {
    echo
    echo "## $1 — $(date -u '+%Y-%m-%d %H:%M UTC') — commit $git_rev$git_dirty"
    echo
    echo "- Command: \`$2\`"
    echo "- Machine: $(nproc) cores ($cpu_model), $mem_total RAM; $java_version; open-files limit $(ulimit -n);" \
         "load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Server: \`java @server/jvm.options ${SERVER_JAVA_OPTS:+$SERVER_JAVA_OPTS }-jar server/target/royal-care-scheduler.jar\`" \
         "($(grep -v '^#' "$SERVER_JVM_FILE" | xargs)), SQLite in a temporary DATA_DIR;" \
         "tool: \`java $TOOL_JAVA_OPTS -cp loadtest/target/royal-care-loadtest.jar com.royalcare.loadtest.bench.<benchmark>\`; ${run_prio[*]:-normal priority}${run_prio[*]:+ for server and tool}"
  } >>"$RESULTS"
}
