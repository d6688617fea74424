#!/usr/bin/env bash
# Issue 15's benchmarks in one run, written to BENCHMARKS.md at the repository root:
#   1. builds the release binary and the benchmark programs (-O3, MLC_BUILD_BENCH=ON);
#   2. webhook intake: `mlc run` and wrk in separate processes, 1, 16 and 64 connections, with an
#      empty inbox and with 1M processed rows already in it (written by SQL into a copy);
#   3. n8n 2.8.4 under the same wrk load (bench/n8n.sh), so the ratio comes from this run;
#   4. the flows on the simulated clock (the Google Benchmark programs in bench/): records per
#      minute against each vendor's ceiling and calls per record;
#   5. `mlc sync` against `mlc sandbox` in its own process: real time, mlc's own CPU per record
#      and peak RSS (wait4), and a 1M-order backfill, run first (ShipStation's 40 calls a minute
#      make it take about an hour: MLC_BENCH_BACKFILL_LIMIT=SECONDS stops it earlier and the
#      report says it is then not a 1M figure);
#   6. three `mlc run` workers on one PostgreSQL database (issue 16): deliveries a second and flow
#      runs a minute;
#   7. BENCHMARKS.md from every row (machine, commit, load average, command per row).
# Needs wrk (Debian package `wrk`; installed here when missing and run as root, otherwise the
# script stops and says so), python3, and npm for n8n. Benchmarks are not tests: CI never runs
# this. Environment:
#   MLC_BENCH_BUILD (default build/bench), MLC_JOBS (build parallelism, default nproc),
#   MLC_BENCH_SKIP_BUILD=1 (use the programs already built in MLC_BENCH_BUILD),
#   MLC_BENCH_OUT (working folder, default a new /tmp/mlc-bench.*), MLC_BENCH_DURATION (wrk, 10s),
#   MLC_BENCH_PREFILL (inbox rows, 1000000), MLC_BENCH_N8N=0 (skip n8n),
#   MLC_BENCH_BACKFILL (orders, 1000000; 0 skips), MLC_BENCH_BACKFILL_LIMIT (seconds, 0 = none),
#   MLC_BENCH_WORKERS (mlc run workers on one PostgreSQL database, 3; 0 skips),
#   MLC_BENCH_REPORT (default BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${MLC_BENCH_BUILD:-build/bench}
jobs=${MLC_JOBS:-$(nproc)}
out=${MLC_BENCH_OUT:-$(mktemp -d /tmp/mlc-bench.XXXXXX)}
report=${MLC_BENCH_REPORT:-$root/BENCHMARKS.md}
py=/usr/bin/python3
mkdir -p "$out"
rm -f "$out/results.json"

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "== wrk (the HTTP load generator) is missing: apt-get install -y wrk"
    apt-get install -y wrk >/dev/null
  else
    echo "bench/run.sh needs wrk: sudo apt-get install wrk" >&2
    exit 1
  fi
fi

programs=(src/cli/mlc bench/mlc_bench_webhook_intake bench/mlc_bench_shipstation_epicor
          bench/mlc_bench_epicor_ups bench/mlc_bench_amazon_settlement)
if [ "${MLC_BENCH_SKIP_BUILD:-0}" = 1 ]; then
  echo "== using the programs already built in $build (MLC_BENCH_SKIP_BUILD=1)"
else
  echo "== building (release, $build)"
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMLC_BUILD_BENCH=ON >/dev/null
  else
    cmake -DMLC_BUILD_BENCH=ON "$build" >/dev/null
  fi
  ninja -C "$build" -j "$jobs" "${programs[@]##*/}"
fi
# The run uses copies, so a rebuild of $build during the hour it takes changes nothing here.
mkdir -p "$out/bin"
for program in "${programs[@]}"; do cp "$build/$program" "$out/bin/"; done
type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")
upper=$(echo "$type" | tr '[:lower:]' '[:upper:]')
flags=$(sed -n "s/^CMAKE_CXX_FLAGS_$upper:STRING=//p" "$build/CMakeCache.txt")
dirty=$(git status --porcelain --untracked-files=no | grep -q . && echo " (and uncommitted changes)" || true)
echo "$(git rev-parse --short HEAD)$dirty|$type ($flags)" >"$out/build.txt"
mlc=$out/bin/mlc
bench() { "$py" "$root/bench/bench.py" "$@"; }

# The 1M-order backfill first: it takes about an hour of ShipStation's 40 calls a minute and its
# figures (peak memory, calls) do not need an idle machine; the timed rows below do.
backfill=${MLC_BENCH_BACKFILL:-1000000}
if [ "$backfill" != 0 ]; then
  echo "== $backfill-order backfill (orders only; limit ${MLC_BENCH_BACKFILL_LIMIT:-0} s)"
  bench sync-real "$mlc" "$out" "$backfill" "${MLC_BENCH_BACKFILL_LIMIT:-0}" 0
fi

echo "== webhook intake (mlc run + wrk; results in $out)"
bench intake "$mlc" "$out"

if [ "${MLC_BENCH_N8N:-1}" != 0 ]; then
  echo "== n8n 2.8.4, the same load"
  bench/n8n.sh "$out"
fi

echo "== flows on the simulated clock"
bench gbench "$out/bin/mlc_bench_shipstation_epicor" "$out" shipstation_epicor \
  'backfill/orders:(5000/page:500/shipments:0|20000/page:500/shipments:1)/'
bench gbench "$out/bin/mlc_bench_epicor_ups" "$out" epicor_ups
bench gbench "$out/bin/mlc_bench_amazon_settlement" "$out" amazon_settlement

echo "== mlc sync against mlc sandbox (separate processes, real time)"
bench sync-real "$mlc" "$out" 5000 0 1

if [ "${MLC_BENCH_WORKERS:-3}" != 0 ]; then
  echo "== ${MLC_BENCH_WORKERS:-3} workers on one PostgreSQL database (fsync on)"
  MLC_PG_DURABLE=1 scripts/with-postgres.sh "$py" bench/bench.py workers "$mlc" "$out" \
    "${MLC_BENCH_WORKERS:-3}" 20
fi

bench report "$out" "$report"
