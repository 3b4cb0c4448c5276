#!/usr/bin/env bash
# Regenerates the input files of the golden import cases in tests/data/golden/ from the cell
# descriptions in tests/data/golden/generator/<case>.cells.json: SheetJS, ExcelJS and CSV files
# through node, LibreOffice's xlsx, ods and xls through soffice. Run by hand when a case
# changes (also called by scripts/make-fixtures.sh); the output is committed. Usage:
#   scripts/make-golden.sh [case...]   (no case: every case)
# Only the named cases are rewritten: the ExcelJS and LibreOffice files carry the time they
# were written, so regenerating an unchanged case changes its bytes (not its cells). Needs, beyond
# scripts/deps.sh (and deliberately not part of it):
#   apt-get install -y --no-install-recommends libreoffice-calc-nogui
# and Node.js with npm (the packages pinned in tests/data/third_party/generator/). The expected
# results (<case>.expected.json) are not made here: see tests/data/golden/README.md.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/tests/data/golden"
generator="$out/generator"
packages="$root/tests/data/third_party/generator"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ ! -d "$packages/node_modules" ]]; then
  (cd "$packages" && npm ci --no-audit --no-fund >/dev/null)
fi
mkdir -p "$work/fods" "$work/converted"
TZ=UTC node "$generator/make-golden.mjs" "$out" "$work/fods" "$@"

# LibreOffice: each flat ODS converted to xlsx, ods and xls (BIFF8).
profile="file://$work/profile"
for format in xlsx ods xls; do
  soffice --headless --norestore "-env:UserInstallation=$profile" \
    --convert-to "$format" --outdir "$work/converted" "$work"/fods/*.fods >/dev/null
done
for file in "$work"/converted/*; do
  name=$(basename "$file")
  cp "$file" "$out/${name%.*}.libreoffice.${name##*.}"
done

# Golden files stay small (STYLE.md rule 10).
too_big=$(find "$out" -maxdepth 1 -type f -size +20k)
if [[ -n "$too_big" ]]; then
  echo "golden files over 20 KB:" >&2
  echo "$too_big" >&2
  exit 1
fi
ls -l "$out"
