#!/usr/bin/env bash
# End-to-end: `i` in the app reads an Excel workbook (issue 27). The workbook is a fixture saved
# by openpyxl with a notes sheet first, the list second, a hidden row and a hidden column. The
# preview names the sheet and the hidden rows; Enter imports; the store holds the person.
# A path pasted after the folder the prompt starts in begins anew (//).
# Usage: Tests/e2e/import-xlsx.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"
FIXTURES="$(cd "$(dirname "$0")/../BevakaStoreTests/Fixtures/xlsx" && pwd)"

cat > "$WORK/lista.csv" <<'CSV'
personnummer;namn;insats;beslut_fran;verkstallt
192002209209;Gösta Berg;hemtjänst;2024-01-10;2024-01-10
CSV
"$BIN" import "$WORK/lista.csv" --store "$STORE" --today $TODAY >/dev/null
mkdir -p "$WORK/excel"
cp "$FIXTURES/two-sheets-hidden.xlsx" "$WORK/excel/brukare.xlsx"

start
wait_for "1 Översikt"
keys 4; wait_for "Ärenden: 1 person"
keys i; wait_for "Importera listan (.xlsx, .ods, .csv): ~/"
# Pasted whole after the prompt's folder: "~/" + "/…/brukare.xlsx" reads the pasted path.
keys "$WORK/excel/brukare.xlsx" Enter
wait_for "Förhandsvisning av importen"
wait_for 'bladet "Lista" av 2'
wait_for "Bladet har 1 dold rad och 1 dold kolumn"
screen | grep -qF "Astrid Nilsson, född 19200101" || fail "the preview does not list the new person"
grep -qF "Astrid" "$STORE" && fail "the preview wrote to the store"
keys Enter
wait_for "Importen av"
wait_for "sparat"
wait_in_file "$STORE" "192001011564"
keys q; wait_for "BEVAKA-EXIT=0"
echo "ok: a workbook is imported from the app, its sheet and hidden rows named in the preview"
