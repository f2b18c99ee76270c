#!/usr/bin/env bash
# End-to-end (issue 22): the app removes at start a person whose support ended (archived, every
# decision closed 13 months ago), says how many, and nothing of the person is left in any file
# under the data folder, backups included; the others are there.
# Usage: Tests/e2e/gallring.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

cat > "$WORK/lista.csv" <<'CSV'
personnummer;namn;insats;beslut_fran;beslut_till;verkstallt;avslutat
192104198383;Sven Öberg;hemtjänst;2024-01-10;2025-10-31;2024-01-10;2025-10-01
192001011564;Astrid Nilsson;vård- och omsorgsboende;2025-06-01;;2025-06-01;
CSV
"$BIN" import "$WORK/lista.csv" --store "$STORE" --today $TODAY >/dev/null
# Sven archived, and a backup beside the store that holds him too.
sed -i 's/"name":"Sven Öberg"/"archived":true,"name":"Sven Öberg"/' "$STORE"
grep -q '"archived":true' "$STORE" || fail "could not archive Sven in the test's store"
mkdir -p "$(dirname "$STORE")/backups"
cp "$STORE" "$(dirname "$STORE")/backups/caseload-20261101T100000.000000Z.json"

start
wait_for "Gallring: 1 person är borttagen"
keys 4; wait_for "Ärenden: 1 person ·"
screen | grep -qF "Astrid Nilsson" || fail "Astrid is gone too"
keys q; wait_in_file "$WORK/exits" "BEVAKA-EXIT=0"
for needle in "192104198383" "21041983" "Sven Öberg"; do
  if grep -rqF -- "$needle" "$(dirname "$STORE")"; then fail "'$needle' is left under the data folder"; fi
done
grep -qF "Astrid Nilsson" "$STORE" || fail "Astrid is not in the store"
echo "ok: gallring at start removes the person from the store and its backup, and says so"
