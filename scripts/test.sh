#!/usr/bin/env bash
# Installs what is missing, builds ml-connector twice (normal, then AddressSanitizer +
# UndefinedBehaviorSanitizer) and runs every test in both builds, then runs every libFuzzer target
# briefly (scripts/fuzz.sh). Exit 0 only if all pass.
# Options (environment): MLC_TEST_VARIANTS="release asan" (default both), MLC_JOBS=N,
# MLC_FUZZ_SECONDS=N (per fuzz target, default 15; 0 skips the fuzz step).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

jobs=${MLC_JOBS:-$(nproc)}
variants=${MLC_TEST_VARIANTS:-"release asan"}
summary=()
for variant in $variants; do
  case "$variant" in
    # -g1 (line tables: stack traces keep file:line) and -Og cut the cold build of both variants
    # from about 24 to about 15 minutes on 2 cores; the benchmarks build in release only.
    release) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
                    -DMLC_SANITIZE=OFF -DMLC_BUILD_BENCH=ON) ;;
    asan) flags=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-Og -g1" -DMLC_SANITIZE=ON
                 -DMLC_BUILD_BENCH=OFF) ;;
    *) echo "unknown variant $variant (release|asan)" >&2; exit 2 ;;
  esac
  dir=build/test-$variant
  echo "== $variant: configure and build ($dir)"
  cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
  cmake --build "$dir" -j "$jobs"
  echo "== $variant: tests"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  # Third-party leaks only (libpqxx on a killed connection): tests/lsan.supp says which and why.
  export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
  set +e
  # A private PostgreSQL cluster for the PostgreSQL store tests (MLC_TEST_POSTGRES_URL), removed
  # afterwards.
  scripts/with-postgres.sh ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 600 \
    | tee "$dir/ctest.log"
  rc=${PIPESTATUS[0]}
  set -e
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$dir/ctest.log" | tail -1)
  summary+=("$variant: $line")
  if [ "$rc" -ne 0 ]; then
    echo "== $variant: FAILED"
    printf '%s\n' "${summary[@]}"
    exit "$rc"
  fi
done
if [ "${MLC_FUZZ_SECONDS:-15}" != 0 ]; then
  if ! scripts/fuzz.sh; then
    printf '%s\n' "${summary[@]}" "fuzz: FAILED"
    exit 1
  fi
  summary+=("fuzz: every target ran clean")
fi
echo "== summary"
printf '%s\n' "${summary[@]}"
