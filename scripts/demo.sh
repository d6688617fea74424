#!/usr/bin/env bash
# Installs what is missing, builds the `mlc` binary and starts the main job in the foreground.
# Stop it with Ctrl-C (graceful: in-flight pages finish, nothing is lost).
#
# The demo data (master key, vault, state database) lives in ./.mlc-demo/ so it never touches a
# real configuration; delete that folder to start from scratch. Extra arguments go to `mlc`.
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
if [ ! -f master.key ]; then
  "$mlc" --data-dir "$demo_dir" init
fi

# `mlc demo` (sandboxes plus every flow, with generated data) once it is built in; until then the
# daemon on the sample configuration, which runs the built-in heartbeat flow.
if "$mlc" --help | grep -qE '^  demo\b'; then
  exec "$mlc" --data-dir "$demo_dir" demo --ports-file "$demo_dir/ports.json" "$@"
fi
echo "== mlc run on examples/mlc.yaml (data in $demo_dir; Ctrl-C stops it)"
exec "$mlc" --data-dir "$demo_dir" --config "$root/examples/mlc.yaml" run "$@"
