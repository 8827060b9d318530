#!/usr/bin/env bash
# Convergence drill: M simulated screens (event streams with resume, a share on long polling) follow
# the board while K writers make random changes for T seconds, with random disconnects, pauses and one
# server restart; at quiet time every screen must equal a fresh snapshot of its scope (0 divergences).
#
#   drills/converge.sh                 the full run: M=200, K=20, T=120 s, SQLite
#   drills/converge.sh --screens=50 --writers=5 --seconds=30 --restart=kill
#   drills/converge.sh postgres [...]  two nodes on one fresh PostgreSQL database (local server at
#                                      127.0.0.1:5432, user postgres, trust auth); the second node restarts
#
# Other options: --poll-share=0.25 --think-ms=250 --disconnects-per-minute=3 --pauses-per-minute=2
#                --max-pause-ms=8000 --long-pause-share=0.1 --long-pause-ms=30000 --max-poll-wait=10 --seed=N
set -euo pipefail
source "$(dirname "$0")/common.sh"

converge() {
  java -Xmx512m -cp "$TOOL_JAR" com.royalcare.loadtest.drill.ConvergeDrill --jar="$JAR" \
    --screens=200 --writers=20 --seconds=120 "$@"
}

on_postgres() {
  converge --jdbc-url="$PG_JDBC_URL" --nodes=2 "$@"
}

if [[ "${1:-}" == "postgres" || "${1:-}" == "postgresql" ]]; then
  shift
  on_fresh_postgres on_postgres "$@"
  exit $?
fi

converge "$@"
