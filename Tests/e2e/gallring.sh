#!/usr/bin/env bash
# End-to-end: at start the app never deletes on its own. It shows who is due for gallring
# (archived, every decision closed more than 12 months ago) by initials and birth date, and a
# "Ja" removes them; "Inte nu" keeps everyone. A --today later than the computer's clock deletes
# nobody and says why. After the "Ja" nothing of the person is left in any file under the data
# folder (backups included), the others are there, and L keeps what was removed.
# Usage: Tests/e2e/gallring.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

cat > "$WORK/lista.csv" <<'CSV'
personnummer;namn;insats;beslut_fran;beslut_till;verkstallt;avslutat
192104198383;Sven Öberg;hemtjänst;2024-01-10;2025-12-31;2024-01-10;2025-12-01
192001011564;Astrid Nilsson;vård- och omsorgsboende;2025-06-01;;2025-06-01;
CSV
"$BIN" import "$WORK/lista.csv" --store "$STORE" --today $TODAY >/dev/null
# Sven archived, his decision closed 13 months ago (an import would not have read a decision
# ended that long ago), and a backup beside the store that holds him too.
sed -i 's/"name":"Sven Öberg"/"archived":true,"name":"Sven Öberg"/; s/"closed":"2025-12-01"/"closed":"2025-10-01"/; s/"to":"2025-12-31"/"to":"2025-10-31"/' "$STORE"
grep -q '"closed":"2025-10-01"' "$STORE" || fail "could not end Sven's decision in the test's store"
grep -q '"archived":true' "$STORE" || fail "could not archive Sven in the test's store"
mkdir -p "$(dirname "$STORE")/backups"
cp "$STORE" "$(dirname "$STORE")/backups/caseload-20261101T100000.000000Z.json"

# A date far after the computer's: asked about nobody, nobody removed, and it says why.
$T new-session -d -s e2e -x 80 -y 24 \
  "env LANG=C.UTF-8 TERM=xterm-256color HOME='$WORK' '$BIN' --store '$STORE' --today 2099-12-31; echo BEVAKA-EXIT=\$? | tee -a '$WORK/exits'; sleep 600"
wait_for "ingen tas bort"
screen | grep -qF "Ja, gallra nu" && fail "a date after the clock offered to delete"
keys q; wait_in_file "$WORK/exits" "BEVAKA-EXIT=0"
end_session
grep -qF "Sven Öberg" "$STORE" || fail "a date after the clock removed Sven"

# "Inte nu" (the default) keeps him.
start
wait_for "1 person kan gallras"
screen | grep -qF "S.Ö., född 19210419" || fail "the question does not say whom"
wait_for "Inte nu"
keys Enter
wait_for "Ingen gallrades"
keys q; wait_in_file "$WORK/exits" "BEVAKA-EXIT=0"
end_session
grep -qF "Sven Öberg" "$STORE" || fail "'Inte nu' removed Sven"

# "Ja" removes him everywhere, says whom, and L keeps it.
: > "$WORK/exits"
start
wait_for "1 person kan gallras"
keys 2
wait_for "Gallrad: S.Ö., född 19210419"
keys L; wait_for "Gallrad: S.Ö., född 19210419"
keys Escape
keys 4; wait_for "Ärenden: 1 person ·"
screen | grep -qF "Astrid Nilsson" || fail "Astrid is gone too"
keys q; wait_in_file "$WORK/exits" "BEVAKA-EXIT=0"
for needle in "192104198383" "21041983" "Sven Öberg"; do
  if grep -rqF -- "$needle" "$(dirname "$STORE")"; then fail "'$needle' is left under the data folder"; fi
done
grep -qF "Astrid Nilsson" "$STORE" || fail "Astrid is not in the store"
[ ! -e "$(dirname "$STORE")/.caseload.json.gallring" ] || fail "the gallring's intent was left behind"
echo "ok: gallring at start asks first, deletes only on yes, never on a date after the clock, and leaves nothing of the person"
