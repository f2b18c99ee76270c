#!/usr/bin/env bash
# End-to-end (issue 23): three lines typed into a checklist answer, then the terminal closes
# (tmux kill-server: SIGHUP) before Ctrl-S. The text is in the store, and at the next start it
# is back in the editor with a message; Ctrl-S then saves it as the answer. The same with SIGTERM
# while typing (no pause at all).
# Usage: Tests/e2e/unsaved-text.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

"$BIN" demo --store "$STORE" --today $TODAY >/dev/null
open_answer() {
  start
  wait_for "1 Översikt"
  keys 4; keys /; keys -l "Astrid"; keys Enter; wait_for "Ärenden: 1 person"
  keys Enter; wait_for "Astrid Nilsson  19200101-1564"
  keys F; wait_for "vad föranleder den?"
  keys Enter; wait_for "Hur görs uppföljningen?"
  keys Enter; wait_for "Förberedelse"
  keys Tab; wait_for "Besök 0/"
  keys Enter; wait_for "Ctrl-S spara"
}

open_answer
keys -l "Trivs bra på boendet"; keys Enter
keys -l "maten är för salt"; keys Enter
keys -l "vill ha färre vikarier"
wait_for "vill ha färre vikarier"
# The window closes: tmux sends SIGHUP to the program. (tmux's client may say "server exited
# unexpectedly" and fail when the server goes before it answers; whether bevaka left is checked next.)
$T kill-server 2>/dev/null || true
for _ in $(seq 1 100); do pgrep -f -- "--store $STORE" >/dev/null || break; sleep 0.1; done
pgrep -f -- "--store $STORE" >/dev/null && fail "bevaka did not leave on SIGHUP"
grep -qF 'Trivs bra på boendet\nmaten är för salt\nvill ha färre vikarier' "$STORE" || fail "the text typed was not kept in the store"

start
wait_for "Osparad text från förra gången återställd"
wait_for "vill ha färre vikarier"
screen | grep -qF "Trivs bra på boendet" || fail "the restored editor lacks the first line"
keys C-s; wait_for "sparat"
grep -qF '"note":"Trivs bra på boendet\nmaten är för salt\nvill ha färre vikarier"' "$STORE" || fail "Ctrl-S did not save the restored text as the answer"
grep -qF '"unsaved"' "$STORE" && fail "the kept text stayed after it was saved"
keys q; wait_in_file "$WORK/exits" "BEVAKA-EXIT=0"
$T kill-server 2>/dev/null || true

# SIGTERM right after typing: kept on the way out too.
rm -f "$WORK/exits"
start
wait_for "1 Översikt"
keys 4; keys /; keys -l "Astrid"; keys Enter; wait_for "Ärenden: 1 person"
keys Enter; wait_for "Pågående uppföljning"
keys F; wait_for "Besök"
keys Tab; keys Down; keys Enter; wait_for "Ctrl-S spara"
keys -l "Hemlig ny rad"
wait_for "Hemlig ny rad"
kill -TERM "$(bevaka_pid)"
wait_in_file "$WORK/exits" "BEVAKA-EXIT="
grep -qF 'Hemlig ny rad' "$STORE" || fail "the text typed was not kept on SIGTERM"
echo "ok: text typed into an answer survives the terminal closing and comes back in the editor"
