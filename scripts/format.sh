#!/usr/bin/env bash
# clang-format every C++ file in place.
set -eu
cd "$(dirname "$0")/.."
git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' | xargs -r clang-format -i
