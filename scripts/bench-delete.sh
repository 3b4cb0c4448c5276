#!/usr/bin/env bash
# The 1,000,000-row delete benchmark (issues 4 and 6): a delete import of every user of an
# organization of 1,000,000 (40 % with e-learning accounts with progress and a certificate,
# deleted too), from the spreadsheet to the commit, on SQLite (secure_delete on, synchronous
# FULL) and on PostgreSQL 15 (a throwaway cluster with PostgreSQL's durable defaults, see
# scripts/pg-cluster.sh --durable); beside each, its shell (sqlite3, psql) deleting the same
# users and accounts by address through a temporary table (what an operator would otherwise
# script). Each run starts from a fresh copy of the same database. Prints one table.
#   scripts/bench-delete.sh   needs: scripts/deps.sh bench (sqlite3, PostgreSQL, python3-openpyxl)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build/bench-rel}
out=$root/bench/out
work=$(mktemp -d)
pg_dir=$(mktemp -d)
trap 'rm -rf "$work"; "$root/scripts/pg-cluster.sh" stop "$pg_dir"' EXIT

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
# A database built by an older Roster is brought to the current schema once, so that no
# measured run pays for a migration.
"$build/bench/delete_bench" migrate "$out/bench-1m.db"

fresh_copy() {
  rm -f "$work"/run.db*
  cp "$out/bench-1m.db" "$work/run.db"
  sync
}

# Roster's runs vary by a few tenths of a second: each backend is measured three times, each
# time on a fresh copy, and the run with the median total is the one shown.
median_of_three() {
  local fresh=$1 db=$2 runs=() run
  for _ in 1 2 3; do
    "$fresh"
    run=$(/usr/bin/time -f 'maxrss_kb=%M' "$build/bench/delete_bench" run "$db" \
      "$out/staff-1m.xlsx" 2>&1)
    runs+=("$(sed -nE 's/^total seconds=([0-9.]+).*/\1/p' <<<"$run")|$(base64 -w0 <<<"$run")")
  done
  printf '%s\n' "${runs[@]}" | sort -t'|' -k1,1n | sed -n 2p | cut -d'|' -f2 | base64 -d
  echo "all totals: $(printf '%s\n' "${runs[@]}" | cut -d'|' -f1 | sort -n | paste -sd' ')"
}
roster=$(median_of_three fresh_copy "$work/run.db")

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
# Runs a command; prints its output and, last, "seconds=<wall time>" and its peak RSS.
timed() {
  local start
  start=$(date +%s.%N)
  /usr/bin/time -f 'maxrss_kb=%M' "$@" 2>&1
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "seconds=%.2f\n", e - s }'
}
peer=$(timed sqlite3 "$work/run.db" <"$work/peer.sql")

# PostgreSQL: the organization is built once per run of this script into a template database
# (about a minute), and each measurement gets a fresh copy of it.
pg_url=$("$root/scripts/pg-cluster.sh" start "$pg_dir" --durable)
pg_base=${pg_url%/*}
pg() { PGOPTIONS='-c client_min_messages=warning' psql -qX -v ON_ERROR_STOP=1 "$@"; }
pg "$pg_url" -c "CREATE DATABASE roster_bench"
echo "building the 1,000,000-user PostgreSQL database (about a minute)..." >&2
"$build/bench/delete_bench" setup "$pg_base/roster_bench" "$out/staff-1m.csv" >/dev/null
pg "$pg_base/roster_bench" -c "VACUUM ANALYZE"
fresh_pg() {
  pg "$pg_url" -c "DROP DATABASE IF EXISTS roster_run" \
    -c "CREATE DATABASE roster_run TEMPLATE roster_bench" -c "CHECKPOINT"
}

pg_roster=$(median_of_three fresh_pg "$pg_base/roster_run")

fresh_pg
cat >"$work/peer-pg.sql" <<SQL
CREATE TEMP TABLE listed (email TEXT, first TEXT, last TEXT, language TEXT, department TEXT,
  location TEXT);
\\copy listed FROM '$out/staff-1m.csv' WITH (FORMAT csv, HEADER true)
BEGIN;
CREATE TEMP TABLE gone AS SELECT u.id FROM users u JOIN listed l
  ON u.email_key = lower(l.email) COLLATE "C"
  WHERE u.org_id = (SELECT id FROM organizations WHERE slug = 'bench');
DELETE FROM elearning_accounts WHERE user_id IN (SELECT id FROM gone);
DELETE FROM users WHERE id IN (SELECT id FROM gone);
COMMIT;
SELECT 'remaining=' || (SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM elearning_accounts);
SQL
pg_peer=$(timed psql -qXAt -v ON_ERROR_STOP=1 "$pg_base/roster_run" -f "$work/peer-pg.sql")

phases() { sed -nE 's/^phase=(.*) seconds=(.*)/\1|\2/p' <<<"$1"; }
total() { sed -nE 's/^total seconds=([0-9.]+).*/\1/p' <<<"$1"; }
rss_mb() { echo $(($(sed -nE 's/.*maxrss_kb=([0-9]+).*/\1/p' <<<"$1" | tail -1) / 1024)); }

echo
echo "Delete import of 1,000,000 rows against 1,000,000 users (400,000 e-learning accounts deleted"
echo "too), $(nproc) cores."
echo "SQLite $(sqlite3 --version | cut -d' ' -f1): secure_delete, synchronous FULL."
echo "PostgreSQL $(psql -XAtc 'SHOW server_version' "$pg_url" | cut -d' ' -f1): fsync and" \
  "synchronous_commit on, shared_buffers 512MB, over TCP on localhost."
printf '%-46s %10s %12s\n' "phase (roster, staff-1m.xlsx), seconds" SQLite PostgreSQL
join -t'|' -a1 -a2 -o '0,1.2,2.2' -e - \
  <(phases "$roster" | awk -F'|' '{ printf "%02d %s|%s\n", NR, $1, $2 }' | sort) \
  <(phases "$pg_roster" | awk -F'|' '{ printf "%02d %s|%s\n", NR, $1, $2 }' | sort) |
  while IFS='|' read -r phase sqlite postgres; do
    printf '%-46s %10.2f %12.2f\n' "${phase#* }" "$sqlite" "$postgres"
  done
printf '%-46s %10.2f %12.2f\n' "roster total (parse to commit)" "$(total "$roster")" \
  "$(total "$pg_roster")"
printf '%-46s %7d MB %9d MB\n' "roster peak RSS (client side)" "$(rss_mb "$roster")" \
  "$(rss_mb "$pg_roster")"
printf '%-46s %10s %12s\n' "roster totals of the three runs" \
  "$(sed -nE 's/^all totals: //p' <<<"$roster" | tr ' ' '/')" \
  "$(sed -nE 's/^all totals: //p' <<<"$pg_roster" | tr ' ' '/')"
seconds() { sed -nE 's/^seconds=([0-9.]+)$/\1/p' <<<"$1"; }
printf '%-46s %10.2f %12.2f\n' "shell: import CSV, delete by address" "$(seconds "$peer")" \
  "$(seconds "$pg_peer")"
echo "  sqlite3: $(grep -o 'remaining=.*' <<<"$peer")  psql: $(grep -o 'remaining=.*' <<<"$pg_peer")"
