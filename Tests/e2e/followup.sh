#!/usr/bin/env bash
# End-to-end: a follow-up at the kitchen table. On a store written from the demo caseload, the
# real binary in tmux 80x24 starts a follow-up of Astrid Nilsson in hembesöksläge, ticks items,
# writes a note with å/ä/ö, is killed with SIGKILL mid-visit, starts again and finds every tick
# and note where it was, leaves the mode with Ctrl-X H, finishes, copies the journal (OSC 52 into
# tmux's buffer), saves it as a file, and finds the next follow-up a year ahead in Bevakningar.
# Usage: Tests/e2e/followup.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

"$BIN" demo --store "$STORE" --today $TODAY >/dev/null
NOTE="Trivs bra, vill ha mer frukt på förmiddagen – ÅÄÖ åäö"

start
wait_for "1 Översikt"
keys 4; wait_for "Ärenden: 33 personer"
keys /; keys -l "Astrid"; keys Enter; wait_for "Ärenden: 1 person"
keys Enter; wait_for "Astrid Nilsson  19200101-1564"

# H on the case: what started it, how it is done, then the checklist in hembesöksläge.
keys H; wait_for "vad föranleder den?"
keys Enter; wait_for "Hur görs uppföljningen?"
keys Enter; wait_for "Ctrl-X H lämna hembesök"
wait_for "Förberedelse 0/4"
for other in "Erik Johansson" "Gösta Berg" "Översikt" "Ärenden" "Bevakningar"; do
  screen | grep -qF "$other" && fail "hembesöksläge shows '$other'"
done
# Other screens cannot be reached; the screen stays on this person.
keys 1; keys 4; keys q
wait_for "lämna det med Ctrl-X och sedan H"
screen | grep -qF "Gösta Berg" && fail "a screen key left hembesöksläge"

keys Space; keys Space; wait_for "Förberedelse 2/4"
wait_in_file "$STORE" '"sabo.chef"'
keys Up; wait_in_file "$STORE" '"cursor":"sabo.planuppdaterad"'
keys Tab; wait_for "Besök 0/3"
# Space on the question opens the answer; more Spaces and a Tab are no leading blanks (issue 35, item 14).
keys Space; wait_for "Svar:"
keys Space; keys Space; keys Tab; wait_for "Skriv svaret; Ctrl-S sparar"
keys -l "$NOTE"; keys C-s
wait_for "↳ $NOTE"
wait_for "Besök 1/3"
wait_in_file "$STORE" "$NOTE"

# SIGKILL mid-visit: no chance to save anything more.
kill -KILL "$(bevaka_pid)"
wait_in_file "$WORK/exits" "BEVAKA-EXIT=137"
end_session

start
wait_for "Hembesöksläget fortsätter där du slutade."
wait_for "Förberedelse 2/4"
wait_for "Besök 1/3"
wait_for "↳ $NOTE"
screen | grep -qF "Ctrl-X H lämna hembesök" || fail "hembesöksläge did not survive the restart"
screen | grep -qF "Gösta Berg" && fail "the restart showed another person"
keys BTab; wait_for "Granska behovsutredningen"
screen | grep -qF "[x] Granska behovsutredningen" || fail "a tick was lost"
screen | grep -qF "[x] Säkerställ att planen" || fail "a tick was lost"

# Leave the mode deliberately: Ctrl-X then another key stays, Ctrl-X then H leaves.
keys C-x; wait_for "Tryck H för att lämna"
keys j; wait_for "Hembesöksläget är kvar."
keys C-x; keys H; wait_for "Hembesöksläget är avslutat."
wait_for "1 Översikt"

# Finish: required items are open, so it asks first; then the outcome and who took part.
keys S; wait_for "obligatoriska punkter är obesvarade"
keys 2; wait_for "Resultat av uppföljningen"
keys 1; wait_for "Deltagare (komma mellan): den enskilde"
keys -l ", dottern Åsa"; keys Enter
wait_for "Uppföljningen är registrerad. Nästa uppföljning 2027-11-22."
wait_for "Journalanteckning – Astrid Nilsson"
wait_for "Deltagare: den enskilde, dottern Åsa."
wait_in_file "$STORE" '"outcome":"asDecided","participants":["den enskilde","dottern Åsa"]'
grep -qF '"draft"' "$STORE" && fail "the finished draft is still in the store"

# Copy with OSC 52 (tmux keeps it as a paste buffer) and save as a private file.
keys c; wait_for "Kopierat till urklipp"
for _ in $(seq 1 50); do $T show-buffer 2>/dev/null | grep -qF "$NOTE" && break; sleep 0.1; done
{ $T show-buffer | grep -qxF "Den enskildes uppfattning:" && $T show-buffer | grep -qxF "Hur upplever du din situation och ditt stöd?" \
    && $T show-buffer | grep -qxF "  $NOTE"; } || fail "the clipboard does not hold the journal, each answer under its question"
keys w; wait_for "Spara som fil: ~/journal-AN-2026-11-22.txt"
keys Enter; wait_for "Sparat i $WORK/journal-AN-2026-11-22.txt"
[ "$(stat -c %a "$WORK/journal-AN-2026-11-22.txt")" = 600 ] || fail "the journal file is not 0600"
grep -qF "Bedömning: Insatsen utförs enligt beslut." "$WORK/journal-AN-2026-11-22.txt" || fail "journal file content"

# The next annual follow-up is a year ahead, on a working day, in Bevakningar.
keys Escape; keys 3; wait_for "Bevakningar: försenade"
keys f; wait_for "Bevakningar: denna vecka"
keys f; wait_for "Bevakningar: kommande"
keys /; keys -l "Astrid"; keys Enter
wait_for "2027-11-22"
screen | grep -E "2027-11-22 .*Astrid Nilsson .*Årlig uppföljning" >/dev/null || fail "no annual follow-up 2027-11-22"
keys q; wait_for "BEVAKA-EXIT=0"
echo "follow-up e2e: 1 passed, 0 failed"
