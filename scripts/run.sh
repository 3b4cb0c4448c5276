#!/usr/bin/env bash
# The first README command: installs what Roster needs, builds it (the `roster` program only;
# scripts/test.sh builds the tests), creates the demo organization in the embedded SQLite
# database (./roster.db, or $ROSTER_DB) and shows it, and builds the web console that
# `roster serve` serves.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build
bash scripts/build.sh release roster
bash scripts/web.sh
roster=build/release/src/roster
listen=${ROSTER_LISTEN:-127.0.0.1:8080}
"$roster" demo
"$roster" users list --org demo --limit 10
echo
echo "Roster is built: $roster --help lists the commands, for example"
echo "  $roster users list --org demo --search anna"
echo "Starting the web console: open http://$listen and sign in as the owner shown above"
echo "(the password is shown only when the demo is created; ROSTER_ADMIN_PASSWORD sets it;"
echo " a forgotten one: $roster admin reset-password --email owner@demo-corp.example)."
echo "Ctrl-C stops the server."
exec "$roster" serve --listen "$listen"
