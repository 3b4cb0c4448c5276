#!/usr/bin/env bash
# Lints the C++ code with Debian's clang 14 tools, as scripts/test.sh does after the release build:
#   1. format: every tracked .cc/.h file is as the committed .clang-format writes it;
#   2. tidy: clang-tidy with the committed .clang-tidy (its checks are errors) over every src/
#      file in BUILD_DIR's compile_commands.json, 2 files at a time (ROSTER_JOBS to change).
# Usage: scripts/lint.sh [BUILD_DIR]   (default build/release; configuring it is enough:
#        scripts/build.sh release, or cmake -S . -B build/release -G Ninja)
# ROSTER_TIDY_CHECKS adds checks to .clang-tidy's for one run, e.g. those it leaves out for time:
#   ROSTER_TIDY_CHECKS=performance-unnecessary-value-param scripts/lint.sh
# Exits 1 when either step finds something, after running both.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build/release}
jobs=${ROSTER_JOBS:-2}
status=0

echo "== lint: format ($(clang-format --version | grep -o '[0-9][0-9.]*' | head -1))"
start=$SECONDS
tracked=()
while IFS= read -r -d '' file; do
  if [[ -f "$file" ]]; then tracked+=("$file"); fi  # not when deleted but not yet staged
done < <(git ls-files -z '*.cc' '*.h')
# One clang-format for all of them (one per file costs 10 times more); it names each file that
# differs in lines "FILE:LINE:COLUMN: error: code should be clang-formatted".
format_report=$(clang-format --dry-run --Werror "${tracked[@]}" 2>&1) && format_status=0 ||
  format_status=$?
mapfile -t unformatted < <(printf '%s\n' "$format_report" |
  sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)
if ((format_status != 0 && ${#unformatted[@]} == 0)); then
  status=1
  printf '%s\n' "$format_report"  # clang-format failed otherwise: show why
elif ((${#unformatted[@]})); then
  status=1
  echo "not formatted as .clang-format says:"
  printf '  %s\n' "${unformatted[@]}"
  echo "fix with: clang-format -i FILE...   (clang-format 14, as on Debian 12)"
fi
echo "format: ${#unformatted[@]} of ${#tracked[@]} files to fix ($((SECONDS - start)) s)"

echo "== lint: clang-tidy ($(clang-tidy --version | grep -o 'version [0-9][0-9.]*'), $jobs jobs)"
start=$SECONDS
database="$build_dir/compile_commands.json"
if [[ ! -f "$database" ]]; then
  echo "no $database: configure the build first (scripts/build.sh release)" >&2
  exit 1
fi
# The project's own sources: every src/ translation unit the build compiles (their src/ headers
# come along through .clang-tidy's HeaderFilterRegex). CMake writes one "file" line per entry.
src_dir="$PWD/src/"
mapfile -t files < <(sed -n 's/^ *"file": "\(.*\)",\{0,1\}$/\1/p' "$database" |
  grep -F "$src_dir" | sort -u)
if ((${#files[@]} == 0)); then
  echo "no src/ file in $database" >&2
  exit 1
fi
out_dir=$(mktemp -d)
trap 'rm -rf "$out_dir"' EXIT
# One clang-tidy per file; each keeps its report in out_dir, named after the file, and leaves a
# .failed mark when it found something, so the reports print whole and in order below. In the
# inner script: $0 the report folder, $1 the src/ prefix, then the clang-tidy command, and last the
# file xargs appends.
tidy=(clang-tidy -p "$build_dir" --quiet)
[[ -z "${ROSTER_TIDY_CHECKS:-}" ]] || tidy+=("--checks=$ROSTER_TIDY_CHECKS")
printf '%s\0' "${files[@]}" | xargs -0 -P "$jobs" -n 1 bash -c '
  file=${!#}
  report="$0/$(printf %s "${file#"$1"}" | tr / _)"
  "${@:2:$#-2}" "$file" >"$report" 2>&1 || touch "$report.failed"
' "$out_dir" "$src_dir" "${tidy[@]}" || true
failed=0
for file in "${files[@]}"; do
  report="$out_dir/$(printf %s "${file#"$src_dir"}" | tr / _)"
  if [[ -f "$report.failed" ]]; then
    failed=$((failed + 1))
    echo "-- src/${file#"$src_dir"}"
    grep -v ' warnings\{0,1\} generated\.$' "$report" || true
  fi
done
if ((failed)); then
  status=1
  echo "clang-tidy: findings in $failed of ${#files[@]} files ($((SECONDS - start)) s);" \
    "see .clang-tidy and docs/development.md"
else
  echo "clang-tidy: ${#files[@]} files clean ($((SECONDS - start)) s)"
fi
exit $status
