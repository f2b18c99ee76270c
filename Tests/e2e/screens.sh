#!/usr/bin/env bash
# End-to-end (issue 13): what matters is not hidden or cut. The real binary in tmux 80x24 on the
# demo: opens the Översikt's overdue section in full and scrolls to its last row; help scrolls to
# its end and closes only with ?/Esc/q; a move past the rule's date asks with both dates, and
# "no" keeps the store as it was; an import preview then Esc writes nothing.
# Usage: Tests/e2e/screens.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

"$BIN" demo --store "$STORE" --today $TODAY >/dev/null
# Ten more people whose yearly follow-up is long overdue, so the overdue section is longer than
# the screen and must scroll. Personnummer 1930MMDD-NNNC with the Luhn check digit.
luhn() {
  local digits=$1 sum=0 i d
  for ((i = 0; i < ${#digits}; i++)); do
    d=${digits:i:1}; ((i % 2 == 0)) && d=$((d * 2)) && ((d > 9)) && d=$((d - 9)); sum=$((sum + d))
  done
  echo $(((10 - sum % 10) % 10))
}
{
  echo "personnummer;namn;insats;beslut_fran;senaste_uppfoljning"
  for n in 0 1 2 3 4 5 6 7 8 9; do
    base="30031${n}23${n}"
    echo "19${base}$(luhn "$base");Person Nummer$n;hemtjänst;2024-01-1$n;2025-0$((n % 9 + 1))-01"
  done
} > "$WORK/fler.csv"
"$BIN" import "$WORK/fler.csv" --ej-verkstallda --store "$STORE" --today $TODAY >/dev/null
before=$(sha256sum "$STORE" | cut -d' ' -f1)
overdue=$("$BIN" agenda --store "$STORE" --today $TODAY --days 0 --format json | grep -c '"daysOverdue" : [1-9]')

start
wait_for "1 Översikt"
wait_for "Försenade ($overdue) · "
# The cursor starts on the first overdue row; up is the section's heading, Enter opens it in full.
keys Up; keys Enter
wait_for "Översikt › Försenade ($overdue)"
wait_for "1–"
keys G
wait_for "av $overdue"
# The last row of the full list: the agenda's last overdue bevakning (the oldest is first).
last=$("$BIN" agenda --store "$STORE" --today $TODAY --days 0 | grep " sen " | tail -1 | cut -c21-36 | sed 's/ *$//')
screen | grep -F "$last" >/dev/null || fail "the last overdue row ($last) is not on screen after End"
screen | grep -qF "$overdue av $overdue" || fail "the scroll position does not say the last row"
keys Escape; wait_for "Sön 22 nov"
wait_for -v "Översikt ›"

# Help: scrolls to its end, any other key keeps it, ?/Esc/q close it.
keys ?; wait_for "Hjälp – ? Esc q stänger"
keys x; wait_for "Hjälp – ? Esc q stänger"
keys PageDown; wait_for -v "rad 1–"
keys G; wait_for "Radera ordet före markören"
screen | grep -qE "rad [0-9]+–([0-9]+) av \1" || fail "help's End is not its last line"
keys q; wait_for -v "Hjälp – ? Esc q"
screen | grep -qF "BEVAKA-EXIT" && fail "q in help quit the app"

# A move past the rule's date asks, with both dates; no keeps the date and the store.
keys 3; wait_for "Bevakningar: försenade"
keys m; wait_for "Flytta till"
keys C-u; keys -l "+3m"; keys Enter
wait_for "regeln säger senast"
screen | grep -qF "Flytta ändå till" || fail "the question does not name the new date"
keys 1; wait_for "Inte flyttad: datumet är kvar."
[ "$(sha256sum "$STORE" | cut -d' ' -f1)" = "$before" ] || fail "answering no changed the store"

# Import: a preview, then Esc writes nothing.
cat > "$WORK/ny.csv" <<'CSV'
personnummer;namn;insats;Beslut från
191212121212;Tolvan Tolvansson;hemtjänst;2026-11-01
191212121213;Fel Siffra;hemtjänst;2026-11-01
CSV
keys 4; wait_for "Ärenden:"
keys i; wait_for "Importera listan (.xlsx, .ods, .csv):"
keys C-u; keys -l "$WORK/ny"; keys Tab; wait_for "ny.csv"
keys Enter
wait_for "Förhandsvisning av importen – ingenting är sparat"
wait_for "Tolvan Tolvansson, född 19121212"
wait_for "rad 3, kolumnen personnummer"
keys Escape; wait_for "Importen avbröts; ingenting skrevs."
[ "$(sha256sum "$STORE" | cut -d' ' -f1)" = "$before" ] || fail "Esc in the import preview changed the store"
grep -qF "Tolvan" "$STORE" && fail "the previewed person is in the store"
keys q; wait_for "BEVAKA-EXIT=0"
echo "screens e2e: 1 passed, 0 failed"
