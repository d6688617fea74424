#!/usr/bin/env bash
# The .deb installs and its unit's command starts: builds the package from BUILD_DIR with
# `cpack -G DEB` (or takes DEB), shows its control data (dependencies from dpkg-shlibdeps, the
# conffile, the maintainer scripts), unpacks it into a throw-away root (`dpkg -x`: nothing is
# installed on this machine), checks the unit (systemd-analyze verify, when present), renders the
# man page, then runs the unit's ExecStart with its paths moved into that root and a free port,
# waits for /healthz to answer 200 and stops it with SIGTERM (exit 0 expected).
# Usage: tests/package/deb_install.sh BUILD_DIR [DEB]
set -euo pipefail
build_dir=$(cd "${1:?usage: deb_install.sh BUILD_DIR [DEB]}" && pwd)
deb=${2:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/mlc-deb.XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$work/run.log" ] && sed 's/^/  mlc run: /' "$work/run.log" >&2; exit 1; }

if [ -z "$deb" ]; then
  start=$(date +%s.%N)
  (cd "$build_dir" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) \
    || { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed in $build_dir"; }
  deb=$(ls "$work"/out/mlc_*.deb)
  printf 'cpack: %s (%s bytes) in %.1f s\n' "$(basename "$deb")" "$(stat -c %s "$deb")" \
    "$(echo "$(date +%s.%N) - $start" | bc)"
fi
[ -f "$deb" ] || fail "no package $deb"

# Control data: name, computed dependencies, conffile, maintainer scripts.
info=$(dpkg-deb -I "$deb")
echo "$info" | grep -E '^ (Package|Version|Architecture|Depends|Installed-Size):'
echo "$info" | grep -q '^ Package: mlc$' || fail "package name is not mlc"
echo "$info" | grep -E '^ Depends:.*libc6' | grep -q 'libsqlite3' \
  || fail "Depends lacks the shared libraries (CPACK_DEBIAN_PACKAGE_SHLIBDEPS, dpkg-dev)"
[ "$(dpkg-deb -f "$deb" Package)" = mlc ] || fail "dpkg-deb -f Package"
dpkg-deb -e "$deb" "$work/control"
grep -qx /etc/mlc/mlc.yaml "$work/control/conffiles" || fail "/etc/mlc/mlc.yaml is not a conffile"
for script in postinst prerm postrm; do
  [ -x "$work/control/$script" ] || fail "no executable $script"
  sh -n "$work/control/$script" || fail "$script: shell syntax"
done
grep -q 'systemd-sysusers\|adduser' "$work/control/postinst" || fail "postinst makes no user"

root=$work/root
dpkg -x "$deb" "$root"
for f in usr/bin/mlc etc/mlc/mlc.yaml usr/lib/systemd/system/mlc.service usr/lib/sysusers.d/mlc.conf \
  usr/share/man/man1/mlc.1.gz usr/share/doc/mlc/README.md; do
  [ -f "$root/$f" ] || fail "the package lacks /$f"
done
unit=$root/usr/lib/systemd/system/mlc.service

# The unit: systemd's own check, on a copy whose ExecStart names the unpacked binary (verify wants
# it executable); --man=no: the page is not installed on this machine.
if command -v systemd-analyze >/dev/null 2>&1; then
  sed "s|=/usr/bin/mlc |=$root/usr/bin/mlc |" "$unit" >"$work/mlc.service"
  systemd-analyze verify --man=no "$work/mlc.service" >"$work/verify.log" 2>&1 \
    || { cat "$work/verify.log" >&2; fail "systemd-analyze verify mlc.service"; }
  [ ! -s "$work/verify.log" ] || { cat "$work/verify.log" >&2; fail "systemd-analyze verify warns"; }
  echo "systemd-analyze verify: mlc.service clean;" \
    "$(systemd-analyze security --offline=yes "$work/mlc.service" 2>/dev/null | grep -o 'Overall exposure.*' || true)"
else
  echo "systemd-analyze: not installed, unit not verified"
fi

# The man page renders (man, else groff) and carries every command's help.
man_page=$root/usr/share/man/man1/mlc.1.gz
if command -v man >/dev/null 2>&1; then
  MANWIDTH=100 man -l "$man_page" >"$work/man.txt" 2>"$work/man.err" || fail "man -l mlc.1.gz"
else
  zcat "$man_page" | groff -man -Tutf8 >"$work/man.txt" 2>"$work/man.err" || fail "groff mlc.1"
fi
[ ! -s "$work/man.err" ] || { cat "$work/man.err" >&2; fail "the man page renders with warnings"; }
grep -q 'mlc secret set' "$work/man.txt" || fail "the man page lacks 'mlc secret set'"
grep -q 'SIGINT/SIGTERM stop it gracefully' "$work/man.txt" || fail "the man page lacks mlc run's help"

# The unit's command line, its paths moved into the root (the config's too) and a free port.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[ "$exec_start" = "/usr/bin/mlc -c /etc/mlc/mlc.yaml --data-dir /var/lib/mlc run" ] \
  || fail "unexpected ExecStart: $exec_start"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
state=$work/state
mkdir -m 0700 "$state"
sed -i -e "s|/var/lib/mlc|$state|g" -e "s|^  port: 8787|  port: $port|" "$root/etc/mlc/mlc.yaml"
grep -q "port: $port" "$root/etc/mlc/mlc.yaml" || fail "no server.port in /etc/mlc/mlc.yaml"
read -r -a argv <<<"$(echo "$exec_start" | sed -e "s| /| $root/|g" -e "s|^/|$root/|" \
  -e "s|$root/var/lib/mlc|$state|g")"
(cd "$work" && exec "${argv[@]}") >"$work/run.log" 2>&1 &
pid=$!
status=
for _ in $(seq 1 300); do  # Up to 30 s for the first start (store created, migrations run).
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)
  [ "$status" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || fail "mlc run exited before answering /healthz"
  sleep 0.1
done
[ "$status" = 200 ] || fail "/healthz answered '$status' (expected 200)"
echo "healthz: 200 from ${argv[*]}"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
[ "$rc" = 0 ] || fail "mlc run exited $rc after SIGTERM (expected 0)"
[ -f "$state/mlc-state.db" ] || fail "no state database in the StateDirectory ($state)"
echo "PASS: the .deb installs, its unit's command answers /healthz and stops on SIGTERM"
