#!/usr/bin/env bash
# The load test of issue 7: the user list, the search and imports at the same time against one
# `roster serve` on SQLite, then two imports of the same organization confirmed at the same
# instant, which must run one after the other (the second is refused with 409 "aborted", or
# waits; never both at once). Prints a table and the evidence. Exits 1 when a list or search
# request was not answered 2xx or hit a socket error, a server answer was 5xx, an import failed
# or none completed, or the serialization check failed.
#
#   bench/load.sh [--short] [ROSTER_BINARY | BUILD_DIR]    (or ROSTER_BIN=...; default
#                                                          build/release, built when missing)
# full     1,000,000 users (a copy of bench/out/bench-1m.db, made the way
#          scripts/bench-delete.sh makes it when missing), 60 s, 64 connections: 32 on the user
#          list and 31 on the search (wrk with bench/load_users.lua), 1 for imports (curl
#          through the wizard: a 10,000-row delete, then the same rows added back, and again),
#          then 3 rounds of two 10,000-row delete imports confirmed at once.
#          The run lasts minutes beyond the 60 s: the server works off the requests its clients
#          left behind before it answers the imports (the table says how long).
# --short  the CI version: 10,000 users made with `roster import`, 5 s, 8 connections (4 list,
#          3 search, 1 imports of 1,000 rows), 2 rounds of two 2,000-row imports; 10 to 20 s.
# LOAD_SECONDS overrides the duration, LOAD_TIMEOUT wrk's timeout (60s). Needs wrk, curl and
# python3 (scripts/deps.sh test or bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

short=false
roster=${ROSTER_BIN:-}
for arg in "$@"; do
  case "$arg" in
    --short) short=true ;;
    -h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "usage: $0 [--short] [ROSTER_BINARY | BUILD_DIR]" >&2; exit 2 ;;
    *) if [[ -d $arg ]]; then roster=$arg/src/roster; else roster=$arg; fi ;;
  esac
done
if [[ -z $roster ]]; then
  roster=$root/build/release/src/roster
  [[ -x $roster ]] || "$root/scripts/build.sh" release >&2
fi
[[ -x $roster ]] || { echo "load.sh: no Roster binary at $roster" >&2; exit 2; }
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null ||
    { echo "load.sh: $tool is missing (scripts/deps.sh bench)" >&2; exit 2; }
done
# Debian's own Python (as bench/generate.py): a version manager's shim costs 0.2 s a call.
python=/usr/bin/python3
[[ -x $python ]] || python=$(command -v python3)

if $short; then
  users=10000 seconds=${LOAD_SECONDS:-5} list_connections=4 search_connections=3
  loop_rows=1000 race_rows=2000 race_rounds=2
else
  users=1000000 seconds=${LOAD_SECONDS:-60} list_connections=32 search_connections=31
  loop_rows=10000 race_rows=10000 race_rounds=3
fi
# A request counts as timed out after this long. wrk's default (2 s) is shorter than one search
# of 1,000,000 users takes on its own; 60 s is what a reverse proxy waits by default (nginx).
timeout=${LOAD_TIMEOUT:-60s}
password=load-test-password-1
started_at=$(date +%s)

work=$(mktemp -d)
server=
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n $server ]]; then
    kill "$server" 2>/dev/null || true  # SIGTERM: running executions finish first
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failures=()
fail() { failures+=("$*"); echo "FAILED: $*" >&2; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }
# field FILE KEY...: the value at that path of the JSON object in FILE, "" when absent.
field() {
  "$python" - "$@" <<'PY'
import json, sys
try:
    value = json.load(open(sys.argv[1]))
    for key in sys.argv[2:]:
        value = value.get(key, "") if isinstance(value, dict) else ""
except (OSError, ValueError):
    value = ""
print(str(value).lower() if isinstance(value, bool) else value)
PY
}

# --- The database and the files to import ---------------------------------------------------
load_before=$(load_average)
if $short; then
  echo "making $users users with roster import..." >&2
  "$python" "$root/bench/generate.py" "$work/data" "$users" >/dev/null
  csv=$work/data/staff-1m.csv  # generate.py's file name, here with $users rows
  "$roster" --db "sqlite:$work/run.db" org create bench --name "Benchmark Inc." \
    --domain example.com >/dev/null
  "$roster" --db "sqlite:$work/run.db" import "$csv" --org bench --mode add-update --yes \
    >/dev/null
else
  out=$root/bench/out
  if [[ ! -f $out/staff-1m.xlsx || ! -f $out/staff-1m.csv ]]; then
    "$python" "$root/bench/generate.py" "$out" >&2
  fi
  if [[ ! -f $out/bench-1m.db ]]; then
    build=${BUILD_DIR:-$root/build/bench-rel}
    echo "building the 1,000,000-user database once (about 2 minutes)..." >&2
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROSTER_BENCH=ON \
      -DROSTER_TESTS=OFF >/dev/null
    cmake --build "$build" -j2 --target delete_bench >/dev/null
    "$build/bench/delete_bench" setup "$out/bench-1m.db.tmp" "$out/staff-1m.csv" >/dev/null
    mv "$out/bench-1m.db.tmp" "$out/bench-1m.db"
  fi
  cp "$out/bench-1m.db" "$work/run.db"
  csv=$out/staff-1m.csv
fi
# slice FIRST COUNT NAME: rows FIRST..FIRST+COUNT-1 of the staff list, with its header, as
# $work/NAME.csv. Row n of the list is user n of the database.
slice() {
  local last=$(($1 + $2 - 1))
  { head -1 "$csv"; sed -n "$(($1 + 1)),$((last + 1))p;$((last + 1))q" "$csv"; } >"$work/$3.csv"
}
# The import loop deletes the last rows and adds them back; the races delete the rows before.
slice $((users - loop_rows + 1)) "$loop_rows" loop
for ((round = 1; round <= race_rounds; round++)); do
  first=$((users - loop_rows - 2 * round * race_rows + 1))
  slice "$first" "$race_rows" "race$round-a"
  slice $((first + race_rows)) "$race_rows" "race$round-b"
done

# --- The server and two sessions ------------------------------------------------------------
ROSTER_ADMIN_PASSWORD=$password "$roster" --db "sqlite:$work/run.db" serve \
  --listen 127.0.0.1:0 --web-root "" --data-dir "$work/files" \
  >"$work/server.out" 2>"$work/server.log" &
server=$!
for _ in $(seq 300); do
  grep -q listening "$work/server.out" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.out" "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/server.out")
owner=$(grep -o 'owner [^ ]*@[^ ]*' "$work/server.out" | head -1 | cut -d' ' -f2)
owner=${owner:-owner@example.com}
# signin JAR: signs the owner in with the cookie jar JAR; prints the session's CSRF token.
signin() {
  curl -sf -c "$1" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$owner\",\"password\":\"$password\"}" "$base/api/v1/session" >"$1.json"
  field "$1.json" csrf_token
}
csrf1=$(signin "$work/jar1")
csrf2=$(signin "$work/jar2")
token=$(awk '$6 == "roster_session" { print $7 }' "$work/jar1")
# call JAR CSRF OUT CURL_ARGS...: prints the HTTP status (000: no answer); the body goes to OUT.
call() {
  local jar=$1 csrf=$2 out=$3
  shift 3
  curl -s --max-time 1800 -o "$out" -w '%{http_code}' -b "$jar" -H "X-CSRF-Token: $csrf" "$@" ||
    true
}
total_users() {
  call "$work/jar1" "$csrf1" "$work/total.json" "$base/api/v1/users?limit=1" >/dev/null
  field "$work/total.json" total
}

# validate_job JAR CSRF JOB BODY: asks for JOB's check (answered 202) and polls JOB while it is
# checked; JOB as it is then goes to BODY. Prints the status that answered the request.
validate_job() {
  local code
  code=$(call "$1" "$2" "$4" -X POST -H 'Content-Type: application/json' -d '{}' \
    "$base/api/v1/imports/$3/validate")
  if [[ $code == 202 ]]; then
    while [[ $(field "$4" state) == checking ]]; do
      sleep 0.1
      call "$1" "$2" "$4" "$base/api/v1/imports/$3" >/dev/null
    done
  fi
  echo "$code"
}
# if_match BODY: the If-Match header that confirms the job in BODY at the version it shows.
if_match() { echo "If-Match: \"$(field "$1" version)\""; }

# import_once JAR CSRF MODE FILE: one import through the wizard (upload, validate, execute,
# poll while it waits or runs); prints one line "IMPORT ok=1|0 mode=... ms=... upload_ms=..."
# and, when it failed, the step, status and answer.
import_once() {
  local jar=$1 csrf=$2 mode=$3 file=$4 body t0 t1 t2 t3 code job state counts
  body=$work/import-$BASHPID.json
  t0=$(now_ms)
  code=$(call "$jar" "$csrf" "$body" -F "mode=$mode" -F "file=@$file;type=text/csv" \
    "$base/api/v1/imports")
  if [[ $code != 201 ]]; then
    echo "IMPORT ok=0 mode=$mode step=upload status=$code $(head -c 300 "$body" 2>/dev/null)"
    return
  fi
  job=$(field "$body" id)
  t1=$(now_ms)
  code=$(validate_job "$jar" "$csrf" "$job" "$body")
  state=$(field "$body" state)
  if [[ $code != 202 || $state != validated ]]; then
    echo "IMPORT ok=0 mode=$mode job=$job step=validate status=$code state=$state" \
      "$(head -c 300 "$body")"
    return
  fi
  t2=$(now_ms)
  code=$(call "$jar" "$csrf" "$body" -H 'Content-Type: application/json' -H "$(if_match "$body")" \
    -d '{"delete_elearning_accounts":false}' "$base/api/v1/imports/$job/execute")
  if [[ $code != 202 ]]; then
    echo "IMPORT ok=0 mode=$mode job=$job step=execute status=$code $(head -c 300 "$body")"
    return
  fi
  while true; do
    code=$(call "$jar" "$csrf" "$body" "$base/api/v1/imports/$job")
    state=$(grep -o '"state":"[a-z]*"' "$body" 2>/dev/null | cut -d'"' -f4 || true)
    [[ $code == 200 && ($state == running || $state == queued) ]] || break
    sleep 0.1
  done
  t3=$(now_ms)
  counts=$("$python" - "$body" <<'PY'
import json, sys
try:
    job = json.load(open(sys.argv[1]))
    c = job["counts"]
    if job["mode"] == "delete":
        print(c["to_delete"], c["deleted"])
    else:
        print(c["to_create"] + c["to_update"], c["created"] + c["updated"])
except (OSError, ValueError, KeyError):
    print("? ?")
PY
  )
  local planned=${counts% *} changed=${counts#* } ok=1
  [[ $code == 200 && $state == done && $planned == "$changed" ]] || ok=0
  echo "IMPORT ok=$ok mode=$mode job=$job status=$code state=$state planned=$planned" \
    "changed=$changed ms=$((t3 - t0)) upload_ms=$((t1 - t0)) validate_ms=$((t2 - t1))" \
    "execute_ms=$((t3 - t2)) end_ms=$t3"
}

# --- Phase 1: list, search and imports at the same time -------------------------------------
connections=$((list_connections + search_connections + 1))
before=$(total_users)
echo "load: $before users, ${seconds} s, $connections connections; load average $load_before" >&2
users_requests_before=$(grep -c 'GET /api/v1/users ' "$work/server.log" || true)
start_ms=$(now_ms)
deadline_ms=$((start_ms + seconds * 1000))
wrk_run() {  # exec: the job's pid is wrk's, for the cleanup
  exec wrk -t 1 -c "$2" -d "${seconds}s" --timeout "$timeout" -H "Cookie: roster_session=$token" \
    -s "$root/bench/load_users.lua" "$base" -- "$1" >"$work/wrk-$1.out" 2>&1
}
import_loop() {
  local mode=delete
  while (($(now_ms) < deadline_ms)); do
    import_once "$work/jar1" "$csrf1" "$mode" "$work/loop.csv" >>"$work/imports"
    if [[ $mode == delete ]]; then mode=add-update; else mode=delete; fi
  done
}
: >"$work/imports"
wrk_run list "$list_connections" &
wrk_list=$!
wrk_run search "$search_connections" &
wrk_search=$!
import_loop &
loop=$!
pids=("$wrk_list" "$wrk_search" "$loop")
wait "$wrk_list" || fail "wrk on the user list failed: $(tail -3 "$work/wrk-list.out")"
wait "$wrk_search" || fail "wrk on the search failed: $(tail -3 "$work/wrk-search.out")"
load_during=$(load_average)
# Requests whose clients are gone still wait in the server's queue: how long until it answers?
healthz_seconds=$(curl -s -o /dev/null --max-time 3600 -w '%{time_total}' "$base/healthz" |
  awk '{ printf "%.2f", $1 }' || echo "no answer")
users_requests_logged=$(($(grep -c 'GET /api/v1/users ' "$work/server.log" || true) -
  users_requests_before))
wait "$loop" || fail "the import loop stopped with an error"
pids=()

# LOAD line of wrk's output for KIND: the value of KEY.
metric() {
  awk -v key="$2" '$1 == "LOAD" { for (i = 2; i <= NF; i++) { split($i, kv, "=");
    if (kv[1] == key) print kv[2] } }' "$work/wrk-$1.out"
}
for kind in list search; do
  if ! grep -q '^LOAD ' "$work/wrk-$kind.out"; then
    fail "wrk on $kind printed no figures: $(tail -5 "$work/wrk-$kind.out")"
    continue
  fi
  errors=$(($(metric "$kind" s3xx) + $(metric "$kind" s4xx) + $(metric "$kind" s5xx) +
    $(metric "$kind" connect) + $(metric "$kind" read) + $(metric "$kind" write) +
    $(metric "$kind" timeout)))
  ((errors == 0)) || fail "$kind: $errors errors ($(grep '^LOAD' "$work/wrk-$kind.out"))"
  ((errors == 0)) || grep '^LOAD_FIRST_ERROR' "$work/wrk-$kind.out" >&2 || true
done
import_count=$(grep -c '^IMPORT' "$work/imports" || true)
import_failed=$(grep -c '^IMPORT ok=0' "$work/imports" || true)
((import_failed == 0)) ||
  fail "$import_failed of $import_count imports failed: $(grep '^IMPORT ok=0' "$work/imports")"
((import_count > import_failed)) || fail "no import completed during the load"

row() {  # row LABEL KIND CONNECTIONS
  local kind=$2 errors
  errors=$(($(metric "$kind" s3xx) + $(metric "$kind" s4xx) + $(metric "$kind" s5xx)))
  printf '| %s | %s | %s | %s | %s | %s | %s | %s + %s | %s |\n' "$1" "$3" \
    "$(metric "$kind" requests)" "$(metric "$kind" rps)" "$(metric "$kind" p50_ms)" \
    "$(metric "$kind" p99_ms)" "$(metric "$kind" max_ms)" "$errors" \
    "$(($(metric "$kind" connect) + $(metric "$kind" read) + $(metric "$kind" write) + \
    $(metric "$kind" timeout)))" "$(metric "$kind" unfinished)"
}
echo
echo "Load: $before users on SQLite, ${seconds} s, $connections connections, $(nproc) cores;" \
  "load average before $load_before, at the end of the load $load_during."
echo
echo "| traffic | connections | requests | requests/s | p50 ms | p99 ms | max ms |" \
  "errors (non-2xx + socket) | unanswered at the end |"
echo '|---|---|---|---|---|---|---|---|---|'
row "user list (50 a page, sort and page vary)" list "$list_connections"
row "search (20 terms, sort varies)" search "$search_connections"
echo
echo "| imports during the load (wizard via curl, 1 connection) | count | ended within the time |" \
  "mean s | max s | mean upload / validate / execute s | failed |"
echo '|---|---|---|---|---|---|---|'
awk -v rows="$loop_rows" -v window="$deadline_ms" '
  $1 == "IMPORT" { n++; delete f
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    if (f["ok"] != 1) { failed++; next }
    ok++; ms += f["ms"]; if (f["ms"] > max) max = f["ms"]
    up += f["upload_ms"]; val += f["validate_ms"]; ex += f["execute_ms"]
    if (f["end_ms"] <= window) inside++ }
  END { d = ok ? ok * 1000 : 1
    printf "| %s rows: delete, then add back, and again | %d | %d | %.2f | %.2f |", rows, n, inside,
      ms / d, max / 1000
    printf " %.2f / %.2f / %.2f | %d |\n", up / d, val / d, ex / d, failed }
' "$work/imports"
answered=$(($(metric list requests) + $(metric search requests)))
echo
echo "A GET /healthz sent when the load stopped was answered after $healthz_seconds s; by then" \
  "the server had run $users_requests_logged list and search requests, of which wrk received" \
  "$answered answers (the rest ran after their client had stopped waiting)."
server_5xx=$(grep -cE ' 5[0-9]{2}$' "$work/server.log" || true)
server_requests=$(grep -cE '^roster: [A-Z]+ /' "$work/server.log" || true)
echo "server: $server_requests requests logged, $server_5xx answered 5xx; resident memory" \
  "$(($(ps -o rss= -p "$server") / 1024)) MB; users after the load: $(total_users)."
((server_5xx == 0)) || fail "the server answered 5xx $server_5xx times:" \
  "$(grep -E ' 5[0-9]{2}$' "$work/server.log" | sort | uniq -c | head -5)"

# --- Phase 2: two imports of the organization confirmed at the same instant ------------------
# What is promised: one organization runs one import at a time. The second confirmation is
# refused (409 "aborted", the job stays validated) or waits (202, queued or blocked) until the
# first is done; the two never run at once. Evidence: the answers, the two jobs' states sampled
# from the jobs list every 20 ms, the counts, the users left and the audit log's order.

# upload_validated JAR CSRF FILE: a validated delete job of FILE; prints its id.
upload_validated() {
  local body=$work/race-upload.json code job
  code=$(call "$1" "$2" "$body" -F mode=delete -F "file=@$3;type=text/csv" "$base/api/v1/imports")
  [[ $code == 201 ]] || { echo "upload answered $code: $(head -c 300 "$body")" >&2; return 1; }
  job=$(field "$body" id)
  code=$(validate_job "$1" "$2" "$job" "$body")
  [[ $code == 202 && $(field "$body" state) == validated ]] ||
    { echo "validation of job $job answered $code: $(head -c 300 "$body")" >&2; return 1; }
  echo "$job"
}
# execute JAR CSRF JOB NAME: confirms JOB at the version it has now; the status goes to
# $work/NAME.code, the answer to $work/NAME.json.
execute() {
  call "$1" "$2" "$work/$4.seen.json" "$base/api/v1/imports/$3" >/dev/null
  call "$1" "$2" "$work/$4.json" -H 'Content-Type: application/json' \
    -H "$(if_match "$work/$4.seen.json")" \
    -d '{"delete_elearning_accounts":false}' "$base/api/v1/imports/$3/execute" >"$work/$4.code"
}
# wait_done JOB: polls JOB while it waits or runs; prints "state deleted to_delete updated_at".
wait_done() {
  local body=$work/race-poll.json state
  while true; do
    call "$work/jar1" "$csrf1" "$body" "$base/api/v1/imports/$1" >/dev/null
    state=$(field "$body" state)
    [[ $state == running || $state == queued ]] || break
    sleep 0.05
  done
  echo "$state $(field "$body" counts deleted) $(field "$body" counts to_delete)" \
    "$(field "$body" updated_at)"
}
# sample JOB_A JOB_B: until $work/stop-sampling exists, one line every 20 ms into
# $work/samples: the organization's running jobs, then the states of JOB_A and JOB_B.
sample() {
  exec "$python" - "$base" "$token" "$work/stop-sampling" "$work/samples" "$1" "$2" <<'PY'
import json, os, sys, time, urllib.request
base, token, stop, out, a, b = sys.argv[1:]
request = urllib.request.Request(base + "/api/v1/imports?limit=20",
                                 headers={"Cookie": "roster_session=" + token})
with open(out, "w") as samples:
    while os.path.isdir(os.path.dirname(stop)) and not os.path.exists(stop):
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                states = {str(j["id"]): j["state"] for j in json.load(answer)["jobs"]}
            running = sum(state == "running" for state in states.values())
            samples.write(f"{running} {states.get(a, '?')} {states.get(b, '?')}\n")
        except Exception as error:  # the answer is the evidence: note it, keep sampling
            samples.write(f"error {type(error).__name__}\n")
        samples.flush()
        time.sleep(0.02)
PY
}
# timeline: reads $work/samples; prints "COUNT MAX_RUNNING OVERLAP FIRST ERRORS" (FIRST: a or b,
# the job seen done while the other was not, "-" when no sample fell between the two ends)
# and then the two jobs' states as they changed.
timeline() {
  "$python" - "$work/samples" <<'PY'
import sys
lines = [line.split() for line in open(sys.argv[1])]
samples = [l for l in lines if l[0] != "error"]
changes, first = [], "-"
for running, a, b in samples:
    if not changes or changes[-1] != (a, b):
        changes.append((a, b))
    if first == "-" and (a == "done") != (b == "done"):
        first = "a" if a == "done" else "b"
max_running = max((int(s[0]) for s in samples), default=0)
overlap = int(any(int(s[0]) > 1 or s[1] == s[2] == "running" for s in samples))
print(len(samples), max_running, overlap, first, len(lines) - len(samples))
print(" -> ".join(f"{a}/{b}" for a, b in changes))
PY
}

echo
echo "Two delete imports of the organization ($race_rows rows each, signed in twice) confirmed" \
  "at the same instant, $race_rounds rounds:"
for ((round = 1; round <= race_rounds; round++)); do
  if ! job_a=$(upload_validated "$work/jar1" "$csrf1" "$work/race$round-a.csv") ||
    ! job_b=$(upload_validated "$work/jar2" "$csrf2" "$work/race$round-b.csv"); then
    fail "race round $round: the two jobs could not be prepared"
    break
  fi
  users_before=$(total_users)
  rm -f "$work/stop-sampling" "$work/samples"
  sample "$job_a" "$job_b" &
  sampler=$!
  pids=("$sampler")
  for _ in $(seq 100); do [[ -s $work/samples ]] && break; sleep 0.02; done
  execute "$work/jar1" "$csrf1" "$job_a" a &
  confirm_a=$!
  execute "$work/jar2" "$csrf2" "$job_b" b &
  confirm_b=$!
  wait "$confirm_a" "$confirm_b"
  code_a=$(cat "$work/a.code") code_b=$(cat "$work/b.code")
  refused=
  if [[ $code_a == 202 && $code_b == 409 ]]; then
    winner=$job_a loser=$job_b refused=b
  elif [[ $code_a == 409 && $code_b == 202 ]]; then
    winner=$job_b loser=$job_a refused=a
  elif [[ $code_a != 202 || $code_b != 202 ]]; then
    fail "race round $round: the confirmations answered $code_a and $code_b" \
      "($(head -c 200 "$work/a.json") / $(head -c 200 "$work/b.json"))"
    touch "$work/stop-sampling"
    wait "$sampler" || true
    pids=()
    break
  fi
  if [[ -n $refused ]]; then
    refusal_code=$(field "$work/$refused.json" error code)
    refusal=$(field "$work/$refused.json" error message)
    [[ $refusal_code == aborted ]] ||
      fail "race round $round: job $loser was refused with $refusal_code, not aborted: $refusal"
    read -r winner_state winner_deleted winner_planned winner_at < <(wait_done "$winner")
    # Refused means untouched: still validated, and runnable now that the other is done.
    if [[ $refused == a ]]; then
      execute "$work/jar1" "$csrf1" "$loser" retry
    else
      execute "$work/jar2" "$csrf2" "$loser" retry
    fi
    [[ $(cat "$work/retry.code") == 202 ]] ||
      fail "race round $round: job $loser, confirmed again after job $winner was done," \
        "answered $(cat "$work/retry.code"): $(head -c 200 "$work/retry.json")"
    read -r loser_state loser_deleted loser_planned loser_at < <(wait_done "$loser")
  else
    read -r a_state a_deleted a_planned a_at < <(wait_done "$job_a")
    read -r b_state b_deleted b_planned b_at < <(wait_done "$job_b")
  fi
  touch "$work/stop-sampling"
  wait "$sampler" || true
  pids=()
  timeline >"$work/timeline"
  read -r sample_count max_running overlap first_done sample_errors <"$work/timeline"
  states=$(tail -1 "$work/timeline")
  users_after=$(total_users)
  call "$work/jar1" "$csrf1" "$work/audit.json" "$base/api/v1/audit?limit=2" >/dev/null
  audit=$("$python" - "$work/audit.json" <<'PY'
import json, sys
events = list(reversed(json.load(open(sys.argv[1])).get("events", [])))
print(" ".join(str(e["details"].get("job_id")) for e in events))
print("; ".join(f"event {e['id']} {e['action']} job {e['details'].get('job_id')} at {e['at']}, "
                f"planned {e['details'].get('planned')}" for e in events))
PY
  )
  audit_jobs=$(head -1 <<<"$audit")
  audit=$(tail -1 <<<"$audit")
  # Both accepted: the winner is the one seen done first, else the audit log's first (its event
  # is written in the execution's transaction, so its order is the commits' order).
  if [[ -z $refused ]]; then
    if [[ $first_done == b || ($first_done == - && $audit_jobs == "$job_b $job_a") ]]; then
      winner=$job_b loser=$job_a
      winner_state=$b_state winner_deleted=$b_deleted winner_planned=$b_planned winner_at=$b_at
      loser_state=$a_state loser_deleted=$a_deleted loser_planned=$a_planned loser_at=$a_at
    else
      winner=$job_a loser=$job_b
      winner_state=$a_state winner_deleted=$a_deleted winner_planned=$a_planned winner_at=$a_at
      loser_state=$b_state loser_deleted=$b_deleted loser_planned=$b_planned loser_at=$b_at
    fi
  fi

  at="race round $round"
  [[ $winner_state == done && $winner_deleted == "$race_rows" &&
    $winner_planned == "$race_rows" ]] ||
    fail "$at: job $winner ended $winner_state, deleted $winner_deleted of $winner_planned"
  [[ $loser_state == done && $loser_deleted == "$race_rows" && $loser_planned == "$race_rows" ]] ||
    fail "$at: job $loser ended $loser_state, deleted $loser_deleted of $loser_planned"
  ((users_after == users_before - 2 * race_rows)) ||
    fail "$at: $users_before users before, $users_after after, not $((2 * race_rows)) fewer"
  ((overlap == 0 && max_running <= 1)) ||
    fail "$at: two imports of the organization ran at once (interleaved): $states"
  [[ $audit_jobs == "$winner $loser" ]] ||
    fail "$at: the audit log's last imports are jobs $audit_jobs, not $winner then $loser"
  if [[ -n $refused ]]; then
    echo "- round $round: jobs $job_a and $job_b confirmed at once -> $code_a / $code_b." \
      "Job $loser refused: 409 $refusal_code \"$refusal\"."
    echo "  Job $winner done (deleted $winner_deleted of $winner_planned, updated_at $winner_at);" \
      "job $loser, confirmed again -> 202, done (deleted $loser_deleted of $loser_planned," \
      "updated_at $loser_at)."
  else
    echo "- round $round: jobs $job_a and $job_b confirmed at once -> 202 / 202: job $loser waited" \
      "for job $winner (done at $winner_at, deleted $winner_deleted of $winner_planned; then" \
      "job $loser done at $loser_at, deleted $loser_deleted of $loser_planned)."
  fi
  echo "  States of jobs $job_a/$job_b, sampled $sample_count times from the jobs list" \
    "($sample_errors failed samples): $states. Imports running at once: at most $max_running."
  echo "  Users $users_before -> $users_after. Audit, oldest first: $audit."
done

echo
echo "Whole run: $(($(date +%s) - started_at)) s including setup; load average now $(load_average)."
if ((${#failures[@]})); then
  echo
  echo "FAILED (${#failures[@]}):"
  printf -- '- %s\n' "${failures[@]}"
  exit 1
fi
echo "All checks passed: no request error, every import done with its planned count, the imports" \
  "of one organization one after the other."
