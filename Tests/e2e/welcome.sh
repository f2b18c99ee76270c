#!/usr/bin/env bash
# End-to-end (issue 35, item 12): the welcome screen of a first start is no dead end — `i` reads
# the Excel/CSV list from there, the preview shows it, Enter imports it and the store holds it;
# a second first start tries the demo with `d` and saves nothing.
# Usage: Tests/e2e/welcome.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

cat > "$WORK/lista.csv" <<'CSV'
Bevakningslista 2026
personnummer;namn;insats;beslut_fran;verkstallt
192002209209;Gösta Berg;hemtjänst;2024-01-10;2024-01-10
192001011564;Astrid Nilsson;trygghetslarm;2025-03-01;2025-03-01
CSV

start
wait_for "Välkommen till Bevaka"
screen | grep -qF "i  Läs in din lista" || fail "the welcome screen does not offer i"
keys i; wait_for "Importera listan (.xlsx, .ods, .csv)"
keys "$WORK/lista.csv" Enter
wait_for "Förhandsvisning av importen"
wait_for "rubrikraden"; screen | grep -qF "är rad 2" || fail "the preview does not name the header row"
[ -e "$STORE" ] && grep -qF "Gösta" "$STORE" && fail "the preview wrote to the store"
keys Enter
wait_for "Importen av"
wait_for "sparat"
wait_in_file "$STORE" "192002209209"
wait_in_file "$STORE" "192001011564"
keys q; wait_for "BEVAKA-EXIT=0"
end_session

# Another first start: d shows the demo, and nothing is written.
STORE="$WORK/other/caseload.json"
start
wait_for "Välkommen till Bevaka"
keys d; wait_for "Demo: påhittade ärenden, ingenting sparas"
wait_for "demo: sparas inte"
keys 3; wait_for "Bevakningar"
keys q; wait_for "BEVAKA-EXIT="
[ -e "$STORE" ] && grep -qF "Gösta" "$STORE" && fail "the demo was saved"
echo "ok: the welcome screen imports a list and opens the demo"
