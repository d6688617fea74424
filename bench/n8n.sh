#!/usr/bin/env bash
# The n8n side of issue 15's comparison: installs n8n 2.8.4 from npm into a temporary folder (its
# xlsx dependency overridden to the npm registry's 0.18.5 through package.json "overrides": n8n
# otherwise fetches it from SheetJS's CDN), imports a workflow with one Webhook node (POST
# /webhook/intake, answered when received) through n8n's CLI, publishes it, starts n8n, takes its
# start-up time to /healthz and runs the same wrk load as bench/run.sh's intake (bench/intake.lua:
# the same signed 1.9 KB WooCommerce deliveries, 1, 16 and 64 connections). n8n checks no
# signature; every other step is its default (SQLite, executions saved).
# Usage: bench/n8n.sh OUT (bench/run.sh's working folder: rows go to OUT/results.json, and
# `bench/bench.py report OUT FILE` puts the ratio into BENCHMARKS.md).
# Environment: MLC_N8N_DIR (install folder, default a new /tmp/mlc-n8n.*; kept afterwards so a
# second run installs nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:?usage: bench/n8n.sh OUT}
dir=${MLC_N8N_DIR:-$(mktemp -d /tmp/mlc-n8n.XXXXXX)}
py=/usr/bin/python3
command -v npm >/dev/null || { echo "bench/n8n.sh needs npm (Debian package npm)" >&2; exit 1; }

rm -rf "$dir/home"  # A fresh n8n database each run: one workflow, no executions from before.
mkdir -p "$dir/home"
cat >"$dir/package.json" <<'EOF'
{
  "name": "mlc-bench-n8n",
  "private": true,
  "dependencies": { "n8n": "2.8.4" },
  "overrides": { "xlsx": "0.18.5" }
}
EOF
if [ ! -x "$dir/node_modules/.bin/n8n" ]; then
  echo "== npm install n8n@2.8.4 in $dir"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
fi
n8n=$dir/node_modules/.bin/n8n

export N8N_USER_FOLDER=$dir/home N8N_DIAGNOSTICS_ENABLED=false N8N_PERSONALIZATION_ENABLED=false
export N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_HIDE_USAGE_PAGE=true N8N_LISTEN_ADDRESS=127.0.0.1
free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export N8N_PORT=${MLC_N8N_PORT:-$(free_port)}
export N8N_RUNNERS_BROKER_PORT=$(free_port)  # Not 5679: another n8n may hold it.

cat >"$dir/workflow.json" <<'EOF'
[{
  "id": "mlcBenchIntake01",
  "name": "mlc bench intake",
  "active": true,
  "nodes": [{
    "id": "4f1c2d2e-0000-4000-8000-000000000001",
    "name": "Webhook",
    "type": "n8n-nodes-base.webhook",
    "typeVersion": 2,
    "position": [0, 0],
    "webhookId": "4f1c2d2e-0000-4000-8000-000000000002",
    "parameters": {"httpMethod": "POST", "path": "intake", "responseMode": "onReceived",
                   "options": {}}
  }],
  "connections": {},
  "settings": {"executionOrder": "v1"}
}]
EOF
# n8n 2 imports a workflow inactive and runs the published version of an active one.
"$n8n" import:workflow --input="$dir/workflow.json" >"$dir/import.log" 2>&1
"$n8n" publish:workflow --id=mlcBenchIntake01 >>"$dir/import.log" 2>&1

begin=$(date +%s%N)
"$n8n" start >"$dir/n8n.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$N8N_PORT/healthz"; do
  kill -0 $pid 2>/dev/null || { echo "n8n stopped: see $dir/n8n.log" >&2; exit 1; }
  sleep 0.05
done
startup_ms=$(( ($(date +%s%N) - begin) / 1000000 ))
# /healthz answers before the workflows are active: wait for the webhook itself, 10 times in a
# row (it answered 404 now and then right after activation).
good=0
while [ $good -lt 10 ]; do
  kill -0 $pid 2>/dev/null || { echo "n8n stopped: see $dir/n8n.log" >&2; exit 1; }
  if [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d '{}' "http://127.0.0.1:$N8N_PORT/webhook/intake")" = 200 ]; then
    good=$((good + 1))
  else
    good=0
  fi
  sleep 0.1
done
ready_ms=$(( ($(date +%s%N) - begin) / 1000000 ))
"$py" "$root/bench/bench.py" record "$out" startup-other receiver=n8n startup_ms=$startup_ms \
  webhook_ready_ms=$ready_ms "command=n8n start (N8N_USER_FOLDER in $dir)"
"$py" "$root/bench/bench.py" intake-url "http://127.0.0.1:$N8N_PORT/webhook/intake" "$out" n8n
kill -TERM $pid
wait $pid || true
trap - EXIT
