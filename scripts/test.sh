#!/usr/bin/env bash
# The second README command: installs what the tests need, builds Roster twice (release, and
# debug with AddressSanitizer + UndefinedBehaviorSanitizer), lints the C++ code (scripts/lint.sh)
# and runs every test in both builds, the store and import suites on SQLite and on a throwaway
# PostgreSQL cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh test

# The PostgreSQL half of the store and import suites runs against a throwaway cluster (its URL in
# ROSTER_TEST_PG), stopped and removed at exit, also when tests fail or the run is interrupted.
pg_dir=$(mktemp -d)
trap 'bash scripts/pg-cluster.sh stop "$pg_dir"' EXIT
ROSTER_TEST_PG=$(bash scripts/pg-cluster.sh start "$pg_dir")
export ROSTER_TEST_PG

status=0
for flavour in release asan; do
  echo "== build ($flavour)"
  bash scripts/build.sh "$flavour"
  # clang-format and clang-tidy (scripts/lint.sh), on the release build's compile_commands.json.
  if [[ "$flavour" == release ]]; then
    echo "== lint"
    bash scripts/lint.sh build/release || status=1
  fi
  echo "== tests ($flavour)"
  # The browser tests (web_*) run once, on the release build: they drive the console, whose
  # server code the HTTP and CLI tests run under the sanitizers too, and run one browser after
  # another (about 5 minutes), which the suite cannot spend twice.
  exclude=()
  [[ "$flavour" == release ]] || exclude=(-E '^web_')
  # halt_on_error: a sanitizer finding fails the test that caused it.
  ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "build/$flavour" --output-on-failure -j 2 "${exclude[@]}" || status=1
done

# The short runs of issue 7's long checks (the long ones: scripts/fuzz.sh SECONDS, bench/load.sh).
echo "== fuzz (20 s per harness)"
bash scripts/fuzz.sh --ci || status=1
echo "== load (short)"
bash bench/load.sh --short build/release || status=1
exit $status
