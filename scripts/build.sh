#!/usr/bin/env bash
# Configures and builds one flavour of Roster into build/<flavour>:
#   release   optimized, what `scripts/run.sh` runs
#   asan      debug with AddressSanitizer + UndefinedBehaviorSanitizer, for the tests
#   bench     release with the benchmarks
# Usage: scripts/build.sh [FLAVOUR [TARGET...]]. Without a TARGET every target of the flavour is
# built (what scripts/test.sh needs: the tests too); with TARGETs only those and what they link
# (scripts/run.sh: `release roster`, the program alone). A build folder configured first for
# TARGETs leaves the tests out, since GoogleTest comes only with `scripts/deps.sh test`; the next
# build of every target brings them in.
# Jobs default to 2 (the machine's cores); set ROSTER_JOBS to change.
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
targets=("${@:2}")
case "$flavour" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=Debug -DROSTER_SANITIZE=ON) ;;
  bench) flags=(-DCMAKE_BUILD_TYPE=Release -DROSTER_BENCH=ON -DROSTER_TESTS=OFF) ;;
  *) echo "usage: $0 release|asan|bench [TARGET...]" >&2; exit 2 ;;
esac
build_flags=()
if ((${#targets[@]})); then
  [[ -f "build/$flavour/CMakeCache.txt" ]] || flags+=(-DROSTER_TESTS=OFF)
  build_flags=(--target "${targets[@]}")
elif [[ "$flavour" != bench ]]; then
  flags+=(-DROSTER_TESTS=ON)
fi
cmake -S . -B "build/$flavour" -G Ninja "${flags[@]}" >/dev/null
cmake --build "build/$flavour" -j "${ROSTER_JOBS:-2}" "${build_flags[@]}"
