#!/usr/bin/env bash
# STYLE.md rule 15: ban std::getenv outside src/cli (tests may read MLC_SOURCE_DIR), reading the
# system clock outside SystemClock, and sleeping outside the clock/scheduler. Prints each offence.
set -u
root=${1:?usage: banned_calls.sh SOURCE_DIR}
cd "$root/src" || exit 2
status=0
check() {  # pattern, allowed-path regex, rule
  local hits
  hits=$(grep -rnE --include="*.cpp" --include="*.hpp" "$1" . | grep -vE "^[^:]+:[0-9]+:\s*//" | grep -vE "$2" || true)
  if [ -n "$hits" ]; then
    echo "banned: $3"; echo "$hits"; status=1
  fi
}
check 'getenv\(' '^\./cli/|_test\.cpp:|/testing/' "std::getenv outside src/cli (pass configuration in)"
check 'system_clock::now|steady_clock::now' '^\./common/clock\.cpp:' "reading the clock outside SystemClock (take a Clock&)"
check 'sleep_for\(|sleep_until\(|usleep\(|[^_]sleep\(' '^\./common/clock\.(cpp|hpp):|Clock|clock[_.]|clock_\.|clock\)\.' "sleeping outside Clock::sleep_until"
if [ $status -eq 0 ]; then echo "banned calls: none"; fi
exit $status
