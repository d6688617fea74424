#!/usr/bin/env bash
# Installs what is missing, builds the `mlc` binary and starts the main job in the foreground:
# `mlc demo` starts every vendor sandbox (ShipStation, Epicor, WooCommerce, Acumatica, UPS,
# Amazon), writes a config for them (.mlc-demo/mlc.yaml, credentials in the encrypted vault
# beside it), runs every flow the build has
# on them, generates orders, edits, cancellations and shipments, and prints a summary every few
# seconds. Stop it with Ctrl-C (graceful: in-flight pages finish, nothing is lost).
#
# The demo data (master key, vault, config, state database, ports file) lives in ./.mlc-demo/ so it
# never touches a real configuration; delete that folder to start from scratch. Extra arguments go
# to `mlc demo` (e.g. --orders 20 --exit-when-done, --orders-per-minute 12, --port 0).
# Environment: MLC_JOBS=N (build parallelism), MLC_DEMO_DIR (data folder, default ./.mlc-demo).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/install-deps.sh

jobs=${MLC_JOBS:-$(nproc)}
build=build/demo
echo "== building mlc ($build)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMLC_SANITIZE=OFF \
  -DMLC_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target mlc
mlc="$root/$build/src/cli/mlc"

demo_dir=${MLC_DEMO_DIR:-$root/.mlc-demo}
mkdir -p "$demo_dir"
cd "$demo_dir"
echo "== mlc demo (data in $demo_dir; Ctrl-C stops it)"
exec "$mlc" --data-dir "$demo_dir" demo --ports-file "$demo_dir/ports.json" "$@"
