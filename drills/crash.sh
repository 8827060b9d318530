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
cd "$(dirname "$0")/.."

JAR=target/royal-care-scheduler.jar
if [[ ! -f "$JAR" ]]; then
  echo "Building $JAR"
  mvn -B -q package -DskipTests
fi
ulimit -n 65536 2>/dev/null || true

PGHOST_ADDR=${PGHOST_ADDR:-127.0.0.1}
PGPORT_NUM=${PGPORT_NUM:-5432}

run_sqlite() {
  java -cp "$JAR" com.royalcare.scheduler.drill.CrashDrill --mode=sqlite --jar="$JAR" "$@"
}

run_postgres() {
  local db="rcs_drill_$(date +%Y%m%d%H%M%S)_$$"
  psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $db"
  echo "PostgreSQL database: $db"
  local rc=0
  java -cp "$JAR" com.royalcare.scheduler.drill.CrashDrill --mode=postgres --jar="$JAR" \
    --jdbc-url="jdbc:postgresql://$PGHOST_ADDR:$PGPORT_NUM/$db" --db-user=postgres "$@" || rc=$?
  if [[ $rc -eq 0 ]]; then
    psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -qc "DROP DATABASE $db" || true
  else
    echo "Keeping database $db for inspection"
  fi
  return $rc
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
