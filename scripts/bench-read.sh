#!/usr/bin/env bash
# The read-speed benchmark: Roster's readers against openpyxl (read-only mode) and SheetJS on a
# 1,000,000-row staff list (6 text columns, shared strings, as Excel writes it) and the same
# rows as CSV. Builds read_bench in release mode (build/bench-rel), generates the files into
# bench/out/ once (deterministic), installs SheetJS into bench/node_modules from the lockfile,
# runs every reader in its own process (best of $BENCH_RUNS, default 3; openpyxl and SheetJS
# once) and prints one table.
#   scripts/bench-read.sh            needs: scripts/deps.sh bench, node + npm
#   BUILD_DIR=... BENCH_RUNS=5 scripts/bench-read.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build/bench-rel}
runs=${BENCH_RUNS:-3}
out=$root/bench/out
python=/usr/bin/python3  # Debian's, which has python3-openpyxl

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROSTER_BENCH=ON \
  -DROSTER_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target read_bench >/dev/null
if [[ ! -f $out/staff-1m.xlsx || ! -f $out/staff-1m.csv ]]; then
  "$python" "$root/bench/generate.py" "$out"
fi
if [[ ! -d $root/bench/node_modules/xlsx ]]; then
  (cd "$root/bench" && npm ci --no-audit --no-fund >/dev/null)
fi

xlsx=$out/staff-1m.xlsx
csv=$out/staff-1m.csv
sheet_bytes=$("$python" -c "import sys,zipfile; print(zipfile.ZipFile(sys.argv[1]).getinfo('xl/worksheets/sheet1.xml').file_size)" "$xlsx")
csv_bytes=$(stat -c %s "$csv")

# best_of N command...: the run with the fewest seconds.
best_of() {
  local n=$1 best="" line
  shift
  for ((i = 0; i < n; ++i)); do
    line=$("$@")
    if [[ -z $best ]] || awk -v a="$line" -v b="$best" 'BEGIN {
        split(a, x, "seconds="); split(b, y, "seconds="); exit !(x[2] + 0 < y[2] + 0) }'; then
      best=$line
    fi
  done
  echo "$best"
}

results=()
results+=("roster xlsx (2 threads)|$sheet_bytes|$(best_of "$runs" "$build/bench/read_bench" xlsx "$xlsx")")
results+=("roster xlsx (1 thread)|$sheet_bytes|$(best_of "$runs" "$build/bench/read_bench" xlsx-1thread "$xlsx")")
if [[ -f $root/src/sheet/csv_reader.h ]]; then
  results+=("roster csv|$csv_bytes|$(best_of "$runs" "$build/bench/read_bench" csv "$csv")")
else
  echo "(no src/sheet/csv_reader.h yet: the roster csv row is left out)" >&2
fi
results+=("openpyxl $("$python" -c 'import openpyxl; print(openpyxl.__version__)') read-only|$sheet_bytes|$("$python" "$root/bench/peers/openpyxl_read.py" "$xlsx")")
results+=("SheetJS $(node -p 'require(process.argv[1]).version' "$root/bench/node_modules/xlsx") dense|$sheet_bytes|$(node "$root/bench/peers/sheetjs_read.js" "$xlsx")")

echo
echo "Reading every cell of $(basename "$xlsx") ($(stat -c %s "$xlsx") bytes; sheet XML $sheet_bytes bytes) and $(basename "$csv") ($csv_bytes bytes), $(nproc) cores"
printf '%-28s %10s %9s %11s %14s %14s\n' reader rows seconds rows/s "MB/s (input)" "peak RSS MB"
for result in "${results[@]}"; do
  IFS='|' read -r name bytes figures <<<"$result"
  rows=$(sed -E 's/.*rows=([0-9]+).*/\1/' <<<"$figures")
  seconds=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$figures")
  rss=$(sed -E 's/.*maxrss_kb=([0-9]+).*/\1/' <<<"$figures")
  awk -v n="$name" -v r="$rows" -v s="$seconds" -v b="$bytes" -v m="$rss" 'BEGIN {
    printf "%-28s %10d %9.2f %11.0f %14.1f %14.1f\n", n, r, s, r / s, b / s / 1e6, m / 1024 }'
done
echo "MB/s (input): MB of sheet XML per second for xlsx readers, of CSV file for the csv reader."
