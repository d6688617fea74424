#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/: one per parser of outside input) with clang++-14 and
# -fsanitize=fuzzer,address,undefined in build/fuzz, and runs each for MLC_FUZZ_SECONDS from its
# seed corpus fuzz/corpus/<name>/ (inputs it finds are kept in build/fuzz/corpus/<name>/).
# Exit 0 only if no target crashed, leaked, hung or tripped a sanitizer; a finding is left in
# build/fuzz/findings/<name>/ (reproduce: build/fuzz/fuzz/<name>_fuzz <file>).
# Options (environment): MLC_FUZZ_SECONDS=N (default 15 per target), MLC_FUZZ_TARGETS="a b"
# (default every folder of fuzz/corpus), MLC_JOBS=N (build jobs and targets run at once).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >/dev/null  # clang-14 and its sanitizer/fuzzer runtimes.

seconds=${MLC_FUZZ_SECONDS:-15}
jobs=${MLC_JOBS:-$(nproc)}
targets=${MLC_FUZZ_TARGETS:-$(ls fuzz/corpus)}
dir=build/fuzz

echo "== fuzz: configure and build ($dir)"
# -O1: fast enough to fuzz, quick to compile; -g1 keeps file:line in the sanitizer reports.
cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DMLC_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" >/dev/null
cmake --build "$dir" -j "$jobs"

export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# One target: its log and findings in build/fuzz/findings/<name>/; the exit status of the run.
run_target() {
  local name=$1 findings=$dir/findings/$1
  rm -rf "$findings"
  mkdir -p "$findings" "$dir/corpus/$name"
  "$dir/fuzz/${name}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$findings/" "$dir/corpus/$name" "fuzz/corpus/$name" >"$findings/log" 2>&1
}

echo "== fuzz: $seconds s per target, $jobs at once"
failed=()
set -- $targets
while [ $# -gt 0 ]; do
  batch=()
  pids=()
  while [ $# -gt 0 ] && [ ${#batch[@]} -lt "$jobs" ]; do
    run_target "$1" &
    pids+=($!)
    batch+=("$1")
    shift
  done
  for i in "${!batch[@]}"; do
    name=${batch[$i]}
    if wait "${pids[$i]}"; then
      echo "$name: ok ($(grep -ho 'Done [0-9]* runs' "$dir/findings/$name/log" | tail -1))"
    else
      echo "$name: FAILED (log and input in $dir/findings/$name/)"
      grep -A25 -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error' \
        "$dir/findings/$name/log" || tail -25 "$dir/findings/$name/log"
      failed+=("$name")
    fi
  done
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "== fuzz: FAILED: ${failed[*]}"
  exit 1
fi
echo "== fuzz: every target ran clean"
