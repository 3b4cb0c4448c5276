#!/usr/bin/env bash
# Fuzzes the readers (xlsx, csv, xls, ods) and the email rules with libFuzzer (fuzz/, issue 7):
#   scripts/fuzz.sh [SECONDS] [TARGET...]   each target for SECONDS (default 300), in turn
#   scripts/fuzz.sh --ci [TARGET...]        20 seconds each, what CI runs
# Targets: xlsx_reader csv_reader xls_reader ods_reader email_rules (default: all of them).
# Builds build/fuzz with clang (RelWithDebInfo, libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer on roster_core and roster_sheet), writes the seed corpora with
# fuzz/make_seeds (real files from tests/data, the bad-files suite's cases, generated ones) into
# build/fuzz/corpus/<target>/, which libFuzzer keeps growing from run to run, and runs each
# harness. Any crash, sanitizer report, broken invariant, leak, timeout (10 s for one input) or
# out-of-memory (2 GiB) fails the run (exit 1) and names the reproducer, saved under
# build/fuzz/artifacts/<target>/; replay one with `build/fuzz/fuzz/<target>_fuzzer FILE`.
# Two instances may run side by side with different targets (one per core): the build is
# locked. Needs clang and its runtimes: scripts/deps.sh test. Writes nothing outside build/fuzz
# and one scratch file per harness process in /dev/shm.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/fuzz
all_targets=(xlsx_reader csv_reader xls_reader ods_reader email_rules)

seconds=300
if [[ ${1:-} == --ci ]]; then
  seconds=20
  shift
elif [[ ${1:-} =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  if [[ " ${all_targets[*]} " != *" $target "* ]]; then
    echo "usage: $0 [--ci | SECONDS] [${all_targets[*]}]..." >&2
    exit 2
  fi
done

mkdir -p "$build"
build_start=$SECONDS
(
  flock 9
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROSTER_FUZZ=ON -DROSTER_TESTS=OFF \
    >"$build/configure.log" 2>&1 || { cat "$build/configure.log" >&2; exit 1; }
  cmake --build "$build" -j "${ROSTER_JOBS:-2}" --target roster_fuzz >"$build/build.log" 2>&1 ||
    { tail -n 50 "$build/build.log" >&2; exit 1; }
) 9>"$build/.lock"
"$build/fuzz/make_seeds" "$root" "$build/corpus" "${targets[@]}" >/dev/null
echo "fuzz: built and seeded in $((SECONDS - build_start)) s; ${seconds} s per target"

# The symbolizer turns sanitizer stacks into file:line (Debian's llvm package).
symbolizer=$(command -v llvm-symbolizer || true)
symbolize=${symbolizer:+:external_symbolizer_path=$symbolizer}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1$symbolize}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan.supp:print_suppressions=0}

dictionary_of() {
  case $1 in
    xlsx_reader) echo "$root/fuzz/xlsx.dict" ;;
    ods_reader) echo "$root/fuzz/ods.dict" ;;
    csv_reader) echo "$root/fuzz/csv.dict" ;;
    xls_reader) echo "$root/fuzz/xls.dict" ;;
    email_rules) echo "$root/fuzz/email.dict" ;;
  esac
}

# What the log says went wrong; "ok" when nothing did.
outcome_of() {
  local log=$1 rc=$2
  if grep -q '==roster-fuzz== invariant broken' "$log"; then echo "invariant broken"
  elif grep -q 'ERROR: libFuzzer: timeout' "$log"; then echo "timeout"
  elif grep -qE 'ERROR: libFuzzer: (out-of-memory|malloc)' "$log"; then echo "out of memory"
  elif grep -q 'ERROR: LeakSanitizer' "$log"; then echo "leak"
  elif grep -q 'ERROR: AddressSanitizer' "$log"; then
    echo "asan: $(grep -m1 -oE 'AddressSanitizer: [A-Za-z-]+' "$log" | cut -d' ' -f2)"
  elif grep -q 'runtime error:' "$log"; then echo "ubsan: runtime error"
  elif grep -q 'deadly signal' "$log"; then echo "crash"
  elif ((rc != 0)); then echo "failed (exit $rc)"
  else echo "ok"
  fi
}

rows=()
failed=0
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target
  artifacts=$build/artifacts/$target
  log=$build/logs/$target.log
  mkdir -p "$corpus" "$artifacts" "$build/logs"
  max_len=65536  # make_seeds writes no seed above this
  [[ $target == email_rules ]] && max_len=512
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len"
    -print_final_stats=1 -artifact_prefix="$artifacts/")
  dictionary=$(dictionary_of "$target")
  [[ -f $dictionary ]] && options+=(-dict="$dictionary")
  echo "fuzz: $target for $seconds s (log: ${log#"$root"/})"
  start=$SECONDS
  rc=0
  "$build/fuzz/${target}_fuzzer" "${options[@]}" "$corpus" >"$log" 2>&1 &
  pid=$!
  wait "$pid" || rc=$?
  rm -f "/dev/shm/roster-fuzz-$pid."*  # the harness's scratch file, left by a crash
  elapsed=$((SECONDS - start))
  executions=$(grep -m1 -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' ||
    echo "?")
  corpus_size=$(find "$corpus" -maxdepth 1 -type f | wc -l)
  result=$(outcome_of "$log" "$rc")
  if [[ $result != ok ]]; then
    failed=1
    reproducer=$(grep -m1 -oE 'Test unit written to [^ ]+' "$log" |
      sed 's/^Test unit written to //' || true)
    echo "fuzz: $target FAILED ($result); reproducer: ${reproducer:-none written, see the log}" >&2
    grep -m1 -A3 -E '==roster-fuzz==|ERROR: |runtime error:' "$log" >&2 || true
    [[ -n $reproducer ]] && result="$result: ${reproducer#"$root"/}"
  fi
  rows+=("$target|$elapsed|$executions|$corpus_size|$result")
done

printf '\n%-12s %8s %12s %12s  %s\n' target seconds executions corpus result
for row in "${rows[@]}"; do
  IFS='|' read -r target elapsed executions corpus_size result <<<"$row"
  printf '%-12s %8s %12s %12s  %s\n' "$target" "$elapsed" "$executions" "$corpus_size" "$result"
done
exit $failed
