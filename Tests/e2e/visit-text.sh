#!/usr/bin/env bash
# End-to-end: the visit. The visit is booked (K on the case) and lands in the calendar export as a
# timed event; then in hembesöksläge (tmux 80x24, the real binary) a three-line answer
# is written in the multi-line editor (Enter makes a line, Ctrl-S saves and moves on), another
# through the user's own editor (Ctrl-E with a scripted $EDITOR), the follow-up is finished, and
# the journal in the store has each answer on its own under its question with its lines kept.
# Usage: Tests/e2e/visit-text.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

"$BIN" demo --store "$STORE" --today $TODAY >/dev/null
# The "editor": checks it got a private file with the text, then writes two lines of its own.
cat > "$WORK/editor.sh" <<'SCRIPT'
#!/bin/sh
[ "$(stat -c %a "$1")" = 600 ] || exit 3
printf 'Dottern hjälper till med tvätten\nvill ha trygghetslarm\n' > "$1"
SCRIPT
chmod +x "$WORK/editor.sh"
export EDITOR="$WORK/editor.sh"

start
wait_for "1 Översikt"
keys 4; keys /; keys -l "Astrid"; keys Enter; wait_for "Ärenden: 1 person"
keys Enter; wait_for "Astrid Nilsson  19200101-1564"

# Book the visit: date, time; the place is her address, the provider is invited.
keys K; wait_for "Boka besök hos Astrid Nilsson"
wait_for "den enskilde, Solgårdens vård- och"
# A Saturday first: asked, and "Nej" goes back to the form's date with the time kept (issue 35, item 13).
keys -l "2026-11-28"; keys Tab; keys -l "10:00"; keys C-s
wait_for "2026-11-28 är en lördag, ingen arbetsdag. Boka ändå?"
keys 1; wait_for "Välj en annan dag."
screen | grep -qF "Boka besök hos Astrid Nilsson" || fail "Nej closed the booking form"
grep -qF '"booking":{"date":"2026-11-28"' "$STORE" && fail "the Saturday was booked"
keys C-u; keys -l "2026-11-24"; keys C-s
wait_for "Besöket hos Astrid Nilsson är bokat 2026-11-24 kl. 10:00."
wait_for "Bokat besök: tisdag 2026-11-24 kl. 10:00–11:00"
wait_in_file "$STORE" '"booking":{"date":"2026-11-24"'
"$BIN" export ics --store "$STORE" --today $TODAY > "$WORK/cal.ics"
grep -qF "DTSTART;TZID=Europe/Stockholm:20261124T100000" "$WORK/cal.ics" || fail "the booking is not a timed event in the calendar"
grep -qF "BEGIN:VTIMEZONE" "$WORK/cal.ics" || fail "the calendar has no VTIMEZONE"
grep -qF "Solgårdsvägen" "$WORK/cal.ics" && fail "the calendar holds the address without --full-names"

keys H; wait_for "vad föranleder den?"
keys Enter; wait_for "Hur görs uppföljningen?"
keys Enter; wait_for "Ctrl-X H lämna hembesök"
# The booking answered the checklist's boka item; the door is at the top.
screen | grep -qF "[x] Boka uppföljningsmöte eller hembesök" || fail "the booking did not answer the boka item"
wait_for "Solgårdsvägen 4, lgh 1102, 463 30 Lilla Edet"
keys Tab; wait_for "Besök 0/3"

# Three lines in the editor; Ctrl-S saves and moves on to the next item.
keys Enter; wait_for "Svar: Hur upplever du din situation och ditt stöd?"
wait_for "Ctrl-S spara"
keys -l "Trivs bra på boendet"; keys Enter
keys -l "maten är för salt"; keys Enter
keys -l "vill ha färre vikarier"
wait_for "vill ha färre vikarier"
keys C-s; wait_for "Besök 1/3"
wait_in_file "$STORE" 'Trivs bra på boendet\nmaten är för salt\nvill ha färre vikarier'

# The next item through the user's own editor.
keys Enter; wait_for "Ctrl-E egen editor"
keys C-e; wait_for "Texten från din redigerare är sparad."
wait_in_file "$STORE" 'Dottern hjälper till med tvätten\nvill ha trygghetslarm'
screen | grep -qF "Ctrl-X H lämna hembesök" || fail "the screen did not come back to hembesöksläge"

# Esc with a change asks; another key goes on writing; j throws it away.
keys Up; keys Enter; wait_for "Ctrl-S spara"
keys -l " ändrat"; keys Escape; wait_for "Kasta ändringen?"
keys j; wait_for "Ändringen kastades."

# Finish and read the journal in the store.
keys S; wait_for "obligatoriska punkter är obesvarade"
keys 2; wait_for "Resultat av uppföljningen"
keys 1; wait_for "Deltagare (komma mellan): den enskilde"
# The visit booked for 2026-11-24 is after this follow-up: asked whether it stands (issue 35, item 16).
keys Enter; wait_for "Ett besök är bokat 2026-11-24 kl. 10:00, efter uppföljningen."
keys 1; wait_for "Uppföljningen är registrerad."
wait_in_file "$STORE" 'Den enskildes uppfattning:\nHur upplever du din situation och ditt stöd?\n  Trivs bra på boendet\n  maten är för salt\n  vill ha färre vikarier\n'
# The visit booked for 2026-11-24 is after this follow-up (done 2026-11-22): not part of its journal,
# and the booking stays for that meeting ("Nej" above).
wait_in_file "$STORE" 'Övrigt: Dokumentera om den enskilde inte medverkade, och varför: Dottern hjälper till med tvätten; vill ha trygghetslarm'
grep -qF 'Bokat 2026-11-24 kl. 10:00 Dokumentera' "$STORE" && fail "the later booking is in the journal"
grep -qF '"booking":{"date":"2026-11-24"' "$STORE" || fail "the booking for the later meeting was cleared"
keys q
echo "ok: answers written in the editor and in \$EDITOR stand under their questions in the journal"
