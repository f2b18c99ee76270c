#!/usr/bin/env bash
# End-to-end: keeping the caseload current through the forms. The real binary in tmux 80x24 adds
# a person with å/ä/ö in the name, makes and corrects a check-digit error, adds a decision with
# type-to-find choices, finds it in the store and in `bevaka agenda`, closes it with a
# confirmation that names it, and finds it closed in the store and gone from `bevaka agenda`.
# Usage: Tests/e2e/forms.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

"$BIN" demo --store "$STORE" --today $TODAY >/dev/null
NAME="Åsa Öberg-Ärlig"
agenda() { "$BIN" agenda --store "$STORE" --today $TODAY; }

start
wait_for "1 Översikt"
keys 4; wait_for "Ärenden: 33 personer"
keys a; wait_for "Ny person"
keys -l "$NAME"; keys Tab
keys -l "19121212-1213"; keys Tab
wait_for "✗ Personnummer: Personnumrets kontrollsiffra"
# Saving is refused while the error is there.
keys C-s; wait_for "Formuläret har fel"
grep -qF "$NAME" "$STORE" && fail "a form with an error was saved"
keys BSpace; keys 2; keys Tab
wait_for -v "Personnumrets kontrollsiffra"
keys C-s; wait_for "$NAME är tillagd."
wait_in_file "$STORE" "\"name\":\"$NAME\""
grep -qF '"pnr":"191212121212"' "$STORE" || fail "the corrected personnummer is not in the store"

# A decision: hemtjänst picked by typing (the law SoL proposed from it), dates, hours with a decimal comma, a provider.
keys b; wait_for "Nytt beslut för $NAME"
keys -l "hemtj"; wait_for "Sök: hemtj"; keys Enter
wait_for "Lag  SoL"
keys Tab; keys Tab
keys -l "2026-11-01"; keys Tab
keys -l "2026-10-01"; keys Tab
wait_for "Gäller till (2026-10-01) ligger före"
keys Up; keys C-u; keys -l "2026-12-31"; keys Tab
wait_for -v "ligger före"
keys -l "2026-11-01"; keys Tab
keys -l "20,5"; keys Tab
keys -l "Hemtjänst Söder"; keys Tab
keys k; keys Enter
keys C-s; wait_for "Beslutet om hemtjänst är sparat."
wait_in_file "$STORE" '"granted":20.5'
grep -qF '"service":"hemtjänst"' "$STORE" || fail "the decision is not in the store"
agenda | grep -F "19121212-****" | grep -qF "Genomförandeplan saknas" || fail "bevaka agenda does not show the new decision's plan"

# Close it: the confirmation names the decision, the person and the day.
keys x; wait_for "Avsluta beslutet om hemtjänst för $NAME"
keys Enter
wait_for "Avsluta beslutet om hemtjänst för $NAME den 2026-11-22?"
keys 2; wait_for "Beslutet är avslutat 2026-11-22."
wait_in_file "$STORE" '"closed":"2026-11-22"'
agenda | grep -qF "19121212-****" && fail "bevaka agenda still lists the closed decision"

keys q; wait_for "BEVAKA-EXIT=0"
[ "$(stat -c %a "$STORE")" = 600 ] || fail "store mode is not 0600"
echo "forms e2e: 1 passed, 0 failed"
