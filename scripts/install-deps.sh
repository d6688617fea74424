#!/usr/bin/env bash
# Installs every Debian 12 package that ml-connector's build, tests and demo need.
# Idempotent: does nothing (and needs no network) when everything is already present.
# Usage: scripts/install-deps.sh            (as root, or with sudo available)
set -euo pipefail

packages=(
  build-essential g++ cmake ninja-build pkg-config ccache clang-format clang-tidy
  clang-14 libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcurl4-openssl-dev libssl-dev libsqlite3-dev libsodium-dev zlib1g-dev libcsv-dev
  libhowardhinnant-date-dev tzdata
  libspdlog-dev libfmt-dev libcli11-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  libpq-dev libpqxx-dev postgresql  # The PostgreSQL store; its tests start a private cluster.
  sqlite3 curl ca-certificates
  dpkg-dev groff-base man-db systemd  # cpack -G DEB (dpkg-shlibdeps) and tests/package: man, systemd-analyze
  python3 python3-yaml python3-jsonschema
  nodejs chromium  # The browser tests (tests/browser): playwright-core drives this chromium.
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# npm comes with NodeSource's nodejs; Debian's nodejs needs Debian's npm beside it.
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

# The browser tests' npm packages, pinned by tests/browser/package-lock.json (npm ci: exactly those;
# playwright-core downloads no browser). Skipped when the pinned version is already there.
browser_tests() {
  local dir=tests/browser want have
  want=$(sed -n 's/.*"playwright-core": "\(.*\)".*/\1/p' "$dir/package.json")
  have=$(sed -n 's/^ *"version": "\(.*\)".*/\1/p' "$dir/node_modules/playwright-core/package.json" 2>/dev/null | head -1 || true)
  if [ "$want" = "$have" ]; then return 0; fi
  echo "install-deps: npm ci in $dir (playwright-core $want)"
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  (cd "$(dirname "$0")/.." && browser_tests)
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
(cd "$(dirname "$0")/.." && browser_tests)
echo "install-deps: done"
