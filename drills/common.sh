# Shared by drills/crash.sh and drills/converge.sh (sourced, not run): the jars (rebuilt when stale), the open-files limit,
# and a fresh PostgreSQL database per run on the local server (127.0.0.1:5432, user postgres, trust auth).
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source loadtest/jars.sh
ensure_jars
JAR=$SERVER_JAR
ulimit -n 65536 2>/dev/null || true

PGHOST_ADDR=${PGHOST_ADDR:-127.0.0.1}
PGPORT_NUM=${PGPORT_NUM:-5432}

# on_fresh_postgres CMD [ARGS...]: creates a database, runs CMD with PG_JDBC_URL pointing at it, then
# drops it if CMD passed and keeps it for inspection if not. Returns CMD's status.
on_fresh_postgres() {
  local db rc=0
  db="rcs_drill_$(date +%Y%m%d%H%M%S)_$$"
  psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $db"
  echo "PostgreSQL database: $db"
  PG_JDBC_URL="jdbc:postgresql://$PGHOST_ADDR:$PGPORT_NUM/$db"
  "$@" || rc=$?
  if [[ $rc -eq 0 ]]; then
    psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -qc "DROP DATABASE $db" || true
  else
    echo "Keeping database $db for inspection"
  fi
  return $rc
}
