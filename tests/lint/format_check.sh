#!/usr/bin/env bash
# Every C++ file is clang-formatted (.clang-format at the root). Fix with scripts/format.sh.
set -u
root=${1:?usage: format_check.sh SOURCE_DIR}
cd "$root" || exit 2
files=$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 2>/dev/null)
[ -n "$files" ] || files=$(find src tests bench -name '*.cpp' -o -name '*.hpp' 2>/dev/null)
# shellcheck disable=SC2086
if clang-format --dry-run --Werror $files 2>/tmp/mlc-format-check.$$; then
  echo "format: $(echo "$files" | wc -w) files clean"; rm -f /tmp/mlc-format-check.$$; exit 0
fi
grep -E '^[^ ].*(warning|error)' /tmp/mlc-format-check.$$ | cut -d: -f1 | sort -u | sed 's/^/not formatted: /'
rm -f /tmp/mlc-format-check.$$
echo "run scripts/format.sh"
exit 1
