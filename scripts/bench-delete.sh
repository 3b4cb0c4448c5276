#!/usr/bin/env bash
# The 1,000,000-row delete benchmark (issue 4): a delete import of every user of an
# organization of 1,000,000 (40 % with e-learning accounts with progress and a certificate,
# deleted too), from the spreadsheet to the commit, SQLite with secure_delete on; beside it
# the sqlite3 shell deleting the same users and accounts by address through a temporary
# table (what an operator would otherwise script). Each run starts from a fresh copy of the
# same database. Prints one table.
#   scripts/bench-delete.sh          needs: scripts/deps.sh bench (sqlite3, python3-openpyxl)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build/bench-rel}
out=$root/bench/out
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROSTER_BENCH=ON \
  -DROSTER_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target delete_bench >/dev/null
if [[ ! -f $out/staff-1m.xlsx || ! -f $out/staff-1m.csv ]]; then
  /usr/bin/python3 "$root/bench/generate.py" "$out"
fi
if [[ ! -f $out/bench-1m.db ]]; then
  echo "building the 1,000,000-user database once (about 2 minutes)..." >&2
  "$build/bench/delete_bench" setup "$out/bench-1m.db.tmp" "$out/staff-1m.csv" >/dev/null
  mv "$out/bench-1m.db.tmp" "$out/bench-1m.db"
fi

fresh_copy() {
  rm -f "$work"/run.db*
  cp "$out/bench-1m.db" "$work/run.db"
  sync
}

fresh_copy
roster=$(/usr/bin/time -f 'maxrss_kb=%M' "$build/bench/delete_bench" run "$work/run.db" \
  "$out/staff-1m.xlsx" 2>&1)

fresh_copy
cat >"$work/peer.sql" <<SQL
PRAGMA foreign_keys = ON;
PRAGMA secure_delete = ON;
PRAGMA synchronous = FULL;
CREATE TEMP TABLE listed (email TEXT, first TEXT, last TEXT, language TEXT, department TEXT,
  location TEXT);
.mode csv
.import --skip 1 $out/staff-1m.csv listed
BEGIN IMMEDIATE;
CREATE TEMP TABLE gone AS SELECT u.id FROM users u JOIN listed l ON u.email_key = lower(l.email)
  WHERE u.org_id = (SELECT id FROM organizations WHERE slug = 'bench');
DELETE FROM elearning_accounts WHERE user_id IN (SELECT id FROM gone);
DELETE FROM users WHERE id IN (SELECT id FROM gone);
COMMIT;
SELECT 'remaining=' || (SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM elearning_accounts);
SQL
start=$(date +%s.%N)
peer=$(/usr/bin/time -f 'maxrss_kb=%M' sqlite3 "$work/run.db" <"$work/peer.sql" 2>&1)
peer_seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')

echo
echo "Delete import of 1,000,000 rows against 1,000,000 users (400,000 e-learning accounts deleted"
echo "too), SQLite $(sqlite3 --version | cut -d' ' -f1), secure_delete on, synchronous FULL, $(nproc) cores"
printf '%-44s %10s\n' "phase (roster, staff-1m.xlsx)" seconds
grep '^phase=' <<<"$roster" | sed -E 's/phase=(.*) seconds=(.*)/\1|\2/' |
  while IFS='|' read -r phase seconds; do printf '%-44s %10.2f\n' "$phase" "$seconds"; done
total=$(sed -nE 's/^total seconds=([0-9.]+).*/\1/p' <<<"$roster")
printf '%-44s %10.2f   peak RSS %d MB\n' "roster total (parse to commit)" "$total" \
  $(($(sed -nE 's/.*maxrss_kb=([0-9]+).*/\1/p' <<<"$roster" | tail -1) / 1024))
printf '%-44s %10.2f   peak RSS %d MB   %s\n' "sqlite3 shell (.import csv + delete by address)" \
  "$peer_seconds" $(($(sed -nE 's/.*maxrss_kb=([0-9]+).*/\1/p' <<<"$peer") / 1024)) \
  "$(grep -o 'remaining=.*' <<<"$peer")"
