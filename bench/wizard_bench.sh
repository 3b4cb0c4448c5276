#!/usr/bin/env bash
# The console's wizard at 1,000,000 rows, through the HTTP API as the browser calls it:
# upload, validate, execute (with the e-learning accounts) and the user list, timed on a copy of
# the 1,000,000-user benchmark database (scripts/bench-delete.sh makes it). Prints one table.
#   bench/wizard_bench.sh [ROSTER_BINARY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
roster=${1:-$root/build/release/src/roster}
out=$root/bench/out
[[ -f $out/bench-1m.db && -f $out/staff-1m.xlsx ]] || {
  echo "run scripts/bench-delete.sh first (it makes bench/out/bench-1m.db and staff-1m.xlsx)" >&2
  exit 2
}
work=$(mktemp -d)
server=
trap '[[ -n $server ]] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
cp "$out/bench-1m.db" "$work/run.db"
ROSTER_ADMIN_PASSWORD=bench-password-123 "$roster" --db "sqlite:$work/run.db" serve \
  --listen 127.0.0.1:0 >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.1; done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/out")
owner=$(grep -o 'owner [^ ]*' "$work/out" | head -1 | cut -d' ' -f2)
csrf=$(curl -s -c "$work/cookies" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$owner\",\"password\":\"bench-password-123\"}" "$base/api/v1/session" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
api() { curl -s -b "$work/cookies" -H "X-CSRF-Token: $csrf" "$@"; }
seconds() { python3 -c "print(f'{$2 - $1:.2f}')"; }
now() { date +%s.%N; }

t0=$(now); job=$(api -F mode=delete -F "file=@$out/staff-1m.xlsx" "$base/api/v1/imports" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'); t1=$(now)
api -X POST -H 'Content-Type: application/json' -d '{}' "$base/api/v1/imports/$job/validate" \
  -o "$work/validated"; t2=$(now)
api -H 'Content-Type: application/json' -d '{"delete_elearning_accounts":true}' \
  "$base/api/v1/imports/$job/execute" -o /dev/null
until api "$base/api/v1/imports/$job" | grep -q '"state":"done"'; do sleep 0.2; done; t3=$(now)
api "$base/api/v1/users?limit=50" -o /dev/null; t4=$(now)
rss=$(ps -o rss= -p "$server")
printf '| step (1,000,000 rows, xlsx) | seconds |\n|---|---|\n'
printf '| upload (33 MB, read to its end) | %s |\n' "$(seconds "$t0" "$t1")"
printf '| validate (read, map, check every row) | %s |\n' "$(seconds "$t1" "$t2")"
printf '| execute (read again for the report, delete, commit; polled) | %s |\n' "$(seconds "$t2" "$t3")"
printf '| user list afterwards | %s |\n' "$(seconds "$t3" "$t4")"
printf '| server resident memory afterwards | %s MB |\n' "$((rss / 1024))"
