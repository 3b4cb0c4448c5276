#!/usr/bin/env bash
# Configures and builds one flavour of Roster into build/<flavour>:
#   release   optimized, what `scripts/run.sh` runs
#   asan      debug with AddressSanitizer + UndefinedBehaviorSanitizer, for the tests
#   bench     release with the benchmarks
# Jobs default to 2 (the machine's cores); set ROSTER_JOBS to change.
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
case "$flavour" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=Debug -DROSTER_SANITIZE=ON) ;;
  bench) flags=(-DCMAKE_BUILD_TYPE=Release -DROSTER_BENCH=ON -DROSTER_TESTS=OFF) ;;
  *) echo "usage: $0 release|asan|bench" >&2; exit 2 ;;
esac
cmake -S . -B "build/$flavour" -G Ninja "${flags[@]}" >/dev/null
cmake --build "build/$flavour" -j "${ROSTER_JOBS:-2}"
