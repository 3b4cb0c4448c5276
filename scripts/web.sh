#!/usr/bin/env bash
# Builds the browser console into web/dist (served by `roster serve --web-root web/dist`).
# `scripts/web.sh test` also installs the browser tests' packages (tests/web).
# Idempotent: `npm ci` runs only when node_modules is missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm ci where the lock file is newer than the last install (or nothing is installed).
install_if_stale() {
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    echo "== npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund)
    touch "$dir/node_modules"  # npm ci may keep the folder's old time
  fi
}

case "${1:-build}" in
  build) ;;
  test) install_if_stale tests/web ;;
  *)
    echo "usage: scripts/web.sh [build|test]" >&2
    exit 2
    ;;
esac

install_if_stale web
echo "== building the console into web/dist"
(cd web && npm run build)
