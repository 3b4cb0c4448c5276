#!/usr/bin/env bash
# The first README command: installs what Roster needs, builds it, creates the demo
# organization in the embedded SQLite database (./roster.db, or $ROSTER_DB) and shows it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build
bash scripts/build.sh release
roster=build/release/src/roster
"$roster" demo
"$roster" users list --org demo --limit 10
echo
echo "Roster is built: $roster --help lists the commands, for example"
echo "  $roster users list --org demo --search anna"
