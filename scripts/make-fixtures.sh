#!/usr/bin/env bash
# Regenerates tests/data/third_party/: small spreadsheets written by real third-party writers
# (LibreOffice, SheetJS, ExcelJS, xlsx-populate). Run by hand when a fixture must change; the
# output is committed. Needs, beyond scripts/deps.sh (and deliberately not part of it):
#   apt-get install -y --no-install-recommends libreoffice-calc-nogui python3-uno
# and Node.js with npm. See tests/data/third_party/README.md for what each file holds.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/tests/data/third_party"
generator="$out/generator"
work=$(mktemp -d)
soffice_pid=""
cleanup() {
  [[ -n "$soffice_pid" ]] && kill "$soffice_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

profile="file://$work/profile"

# LibreOffice: one flat ODS source converted to xlsx, xls and ods.
for format in xlsx xls ods; do
  soffice --headless --norestore "-env:UserInstallation=$profile" \
    --convert-to "$format" --outdir "$work" "$generator/staff.fods" >/dev/null
  cp "$work/staff.$format" "$out/libreoffice_staff.$format"
done

# LibreOffice through UNO: an .xls saved with a password (BIFF8 RC4 encryption).
port=2799
soffice --headless --norestore --invisible "-env:UserInstallation=$profile" \
  "--accept=socket,host=127.0.0.1,port=$port;urp;" >/dev/null 2>&1 &
soffice_pid=$!
/usr/bin/python3 "$generator/save_with_password.py" "$port" "$generator/staff.fods" \
  "$out/libreoffice_encrypted.xls" "MS Excel 97" secret
kill "$soffice_pid"
wait "$soffice_pid" 2>/dev/null || true
soffice_pid=""

# SheetJS, ExcelJS, xlsx-populate (versions pinned in generator/package-lock.json).
(cd "$generator" && npm ci --no-audit --no-fund >/dev/null && TZ=UTC node make-fixtures.mjs "$out")

ls -l "$out"

# The input files of the golden import cases (tests/data/golden/), also runnable on its own.
"$root/scripts/make-golden.sh"
