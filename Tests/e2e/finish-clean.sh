#!/usr/bin/env bash
# End-to-end (issue 35, item 15): `S` does not warn about the two items it carries out itself.
# On the demo store, the real binary in tmux 80x24 starts a follow-up of Astrid Nilsson, marks
# every item "ej aktuellt" but "Registrera uppföljningen … journalanteckning" and "Sätt ny
# bevakning ett år framåt" (what S does), and finishes: no "obesvarade" question, straight to the
# outcome; the store then holds the follow-up and next year's bevakning.
# Usage: Tests/e2e/finish-clean.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

"$BIN" demo --store "$STORE" --today $TODAY >/dev/null

start
wait_for "1 Översikt"
keys 4; wait_for "Ärenden: 33 personer"
keys /; keys -l "Astrid"; keys Enter; wait_for "Ärenden: 1 person"
keys Enter; wait_for "Astrid Nilsson  19200101-1564"
keys F; wait_for "vad föranleder den?"
keys Enter; wait_for "Hur görs uppföljningen?"
keys Enter; wait_for "obligatoriska kvar"

# Each phase: every item "ej aktuellt" (- moves on), but the two that S carries out.
for phase in Förberedelse Besök Efter; do
  for _ in $(seq 1 20); do
    selected=$(screen | grep -F "Vald:" || true)
    case "$selected" in
      *"Registrera uppföljningen"*|*"Sätt ny bevakning"*) keys Down ;;
      *) keys - ;;
    esac
    sleep 0.1
    # The phase is done when its count reads n/n, or its last item is selected again.
    screen | grep -qE "$phase ([0-9]+)/\\1" && break
    [ "$phase" = Efter ] && screen | grep -qF "Vald: Sätt ny bevakning" && break
  done
  [ "$phase" = Efter ] || { keys Tab; sleep 0.2; }
done
wait_for "* 2 obligatoriska kvar"

keys S
wait_for "Resultat av uppföljningen"
screen | grep -qF "obesvarade" && fail "S warned about the items it carries out itself"
keys 1; wait_for "Deltagare (komma mellan)"
keys Enter
wait_for "Uppföljningen är registrerad. Nästa uppföljning"
wait_in_file "$STORE" '"outcome":"asDecided"'
grep -qF '"draft"' "$STORE" && fail "the finished draft is still in the store"
keys Escape; keys q; wait_for "BEVAKA-EXIT=0"
echo "finish without a false warning e2e: 1 passed, 0 failed"
