#!/usr/bin/env bash
# Convergence drill: M simulated screens (event streams with resume, a share on long polling) follow
# the board while K writers make random changes for T seconds, with random disconnects, pauses and one
# server restart; at quiet time every screen must equal a fresh snapshot of its scope (0 divergences).
#
#   drills/converge.sh                 the full run: M=200, K=20, T=120 s
#   drills/converge.sh --screens=50 --writers=5 --seconds=30 --restart=kill
#
# Other options: --poll-share=0.25 --think-ms=250 --disconnects-per-minute=3 --pauses-per-minute=2
#                --max-pause-ms=8000 --long-pause-share=0.1 --long-pause-ms=30000 --max-poll-wait=10 --seed=N
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/royal-care-scheduler.jar
if [[ ! -f "$JAR" ]]; then
  echo "Building $JAR"
  mvn -B -q package -DskipTests
fi
ulimit -n 65536 2>/dev/null || true

exec java -Xmx512m -cp "$JAR" com.royalcare.scheduler.drill.ConvergeDrill --jar="$JAR" \
  --screens=200 --writers=20 --seconds=120 "$@"
