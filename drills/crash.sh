#!/usr/bin/env bash
# Crash drill: writers change slots through the API while the server is killed with SIGKILL at random
# moments and restarted; afterwards every acknowledged write must be in the database, no refused one,
# the change log gap-free, and every stream/polling screen equal to a fresh snapshot.
#
#   drills/crash.sh                    SQLite, then PostgreSQL with two nodes (one is killed)
#   drills/crash.sh sqlite [options]   SQLite only
#   drills/crash.sh postgres [options] PostgreSQL only (local server at 127.0.0.1:5432, user postgres, trust auth)
#
# Options go to the drill: --kills=8 --writers=4 --streams=4 --pollers=2 --min-gap-ms=1500 --max-gap-ms=5000 --seed=N
# Exit status 0 only if every run passed. Server logs stay in target/drills/.
set -euo pipefail
source "$(dirname "$0")/common.sh"

run_sqlite() {
  java -cp "$TOOL_JAR" com.royalcare.loadtest.drill.CrashDrill --mode=sqlite --jar="$JAR" "$@"
}

run_on_postgres() {
  java -cp "$TOOL_JAR" com.royalcare.loadtest.drill.CrashDrill --mode=postgres --jar="$JAR" \
    --jdbc-url="$PG_JDBC_URL" --db-user=postgres "$@"
}

run_postgres() {
  on_fresh_postgres run_on_postgres "$@"
}

mode=${1:-both}
[[ $# -gt 0 ]] && shift
case "$mode" in
  sqlite) run_sqlite "$@" ;;
  postgres|postgresql) run_postgres "$@" ;;
  both)
    rc=0
    run_sqlite "$@" || rc=1
    run_postgres "$@" || rc=1
    exit $rc ;;
  *) echo "usage: $0 [sqlite|postgres|both] [--option=value ...]" >&2; exit 2 ;;
esac
