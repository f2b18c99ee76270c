#!/usr/bin/env bash
# End-to-end: the real bevaka binary in tmux at 80x24 on a temporary store. Walks every screen,
# marks a bevakning done, filters with "ö", resizes to 60x15 and back, quits, and checks that the
# terminal was restored and the store holds the change; then SIGTERM mid-session saves first.
# Usage: Tests/e2e/terminal.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

cat > "$WORK/lista.csv" <<'CSV'
personnummer;namn;insats;beslut_fran;beslut_till;utforare;regi;samtycke;genomforandeplan;senaste_uppfoljning
192104198383;Sven Öberg;hemtjänst;2024-01-10;;Hemtjänst Norr;kommunal;;2024-02-01;2025-10-01
192001011564;Astrid Nilsson;vård- och omsorgsboende;2025-06-01;;Solgården;kommunal;;2025-06-10;
192002209209;Gösta Berg;hemtjänst;2026-10-01;;Omsorg AB;privat;ja;;
CSV
"$BIN" import "$WORK/lista.csv" --ej-verkstallda --store "$STORE" --today $TODAY >/dev/null

start
wait_for "1 Översikt"
wait_for "Försenade"
# Below 100 columns a list shows the birth date alone (what is due gets the room); never the full number.
screen | grep -qF "Sven Öberg        19210419 " || fail "the birth date on Översikt"
screen | grep -qF "19210419-8383" && fail "full personnummer outside the case screen"

keys 2; wait_for "Årshjul 2026"
keys 3; wait_for "Bevakningar: försenade"
keys 4; wait_for "Ärenden: 3 personer"
keys Enter; wait_for "Att göra och varför"
screen | grep -qE "[0-9]{8}-[0-9]{4}" || fail "the case screen shows the full personnummer"
keys Escape; wait_for "Ärenden: 3 personer"
keys ?; wait_for "Hjälp – ? Esc q stänger"; keys x; wait_for "Hjälp – ? Esc q stänger"; keys Escape; wait_for -v "Hjälp – ?"
# `?` opens at the keys of the screen it is pressed on (issue 35, item 19).
keys 3; wait_for "Bevakningar: försenade"
keys ?; wait_for "Hjälp – ? Esc q stänger"
[ "$(screen | sed -n 4p | sed 's/^ *//; s/ *$//')" = "Bevakningar" ] || fail "help on Bevakningar does not start with its keys"
keys Escape; wait_for -v "Hjälp – ?"

# Mark the first overdue bevakning done; it is saved at once.
keys 3; wait_for "Bevakningar: försenade"
keys d; wait_for "markerad klar"
wait_for "sparat"
grep -q '"status":"done"' "$STORE" || fail "the store does not hold the done bevakning"

# Filter with ö.
keys 4; wait_for "Ärenden"
keys /; wait_for "Sök (Enter"
keys ö; wait_for "Ärenden: 2 personer"
screen | grep -qF "Sven Öberg" || fail "filter on ö lost Sven Öberg"
screen | grep -qF "Gösta Berg" || fail "filter on ö lost Gösta Berg"
screen | grep -qF "Astrid Nilsson" && fail "filter on ö kept Astrid Nilsson"
keys Enter; keys Escape; wait_for "Ärenden: 3 personer"

# Resize below the minimum and back.
$T resize-window -t e2e -x 60 -y 15; wait_for "för litet"
$T resize-window -t e2e -x 80 -y 24; wait_for "Ärenden: 3 personer"

keys q; wait_for "BEVAKA-EXIT=0"
screen | grep -qF "1 Översikt" && fail "the terminal was not restored after q"
[ "$(stat -c %a "$STORE")" = 600 ] || fail "store mode is not 0600"
[ "$(stat -c %a "$(dirname "$STORE")")" = 700 ] || fail "store folder mode is not 0700"
end_session

# SIGTERM (the terminal closed mid-visit): the change is saved before leaving.
start
wait_for "Försenade"
keys 3; wait_for "Bevakningar"
keys p; wait_for ": prioritet hög."
pid=$(bevaka_pid)
kill -TERM "$pid"
wait_for "BEVAKA-EXIT=0"
grep -q '"priority":"high"' "$STORE" || fail "SIGTERM lost the change"
screen | grep -qF "1 Översikt" && fail "the terminal was not restored after SIGTERM"

end_session

# Ctrl-C quits cleanly (raw mode: it arrives as a key).
start
wait_for "Försenade"
keys C-c
wait_for "BEVAKA-EXIT=0"
screen | grep -qF "1 Översikt" && fail "the terminal was not restored after Ctrl-C"
end_session

# A crash: the shim's handler restores the terminal and re-raises, so the shell gets its screen back.
start
wait_for "Försenade"
pid=$(bevaka_pid)
kill -SEGV "$pid"
wait_for "BEVAKA-EXIT=139"
screen | grep -qF "1 Översikt" && fail "the terminal was not restored after SIGSEGV"
grep -q '"priority":"high"' "$STORE" || fail "the store was damaged by the crash"

echo "terminal e2e: 1 passed, 0 failed"
