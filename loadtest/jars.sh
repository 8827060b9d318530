# Sourced by bench/common.sh and drills/common.sh: where the server and load-tool jars are, and
# ensure_jars, which (re)builds both when either is missing or any source or POM is newer than it.
JARS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVER_JAR="$JARS_ROOT/server/target/royal-care-scheduler.jar"
TOOL_JAR="$JARS_ROOT/loadtest/target/royal-care-loadtest.jar"

jars_stale() {
  local jar
  for jar in "$SERVER_JAR" "$TOOL_JAR"; do
    [[ -f "$jar" ]] || return 0
    if [[ -n $(cd "$JARS_ROOT" && find pom.xml testkit server loadtest -name target -prune -o -type f -newer "$jar" -print -quit) ]]; then
      return 0
    fi
  done
  return 1
}

ensure_jars() {
  if jars_stale; then
    echo "building $SERVER_JAR and $TOOL_JAR (missing or older than the sources) ..." >&2
    (cd "$JARS_ROOT" && mvn -B -q package -DskipTests)
  fi
}
