#!/usr/bin/env bash
# End-to-end: saves start failing while the app is open (the store's folder is replaced by a
# file, as a full or lost disk would do). A change shows "KUNDE INTE SPARA"; q does not leave
# but asks, naming whose change is unsaved; Esc goes back; once the folder is back, "Försök spara
# igen" saves the change and leaves with exit 0, and the store holds it.
# Usage: Tests/e2e/failing-saves.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

"$BIN" demo --store "$STORE" --today $TODAY >/dev/null
FOLDER=$(dirname "$STORE")
start
wait_for "1 Översikt"
keys 3; wait_for "Bevakningar: försenade"
# The folder goes away under the running app.
mv "$FOLDER" "$WORK/moved"
echo "ingen mapp" > "$FOLDER"
keys d; wait_for "KUNDE INTE SPARA"
keys q; wait_for "Ändringarna kunde inte sparas."
screen | grep -qF "Osparat: ändringar för" || fail "the question does not say whose change is unsaved"
screen | grep -qF "3  Avsluta och förlora ändringarna" || fail "no way to quit and lose"
# Still running while it asks: the process is there and has printed no exit code.
PID=$(bevaka_pid)
[ -n "$PID" ] && kill -0 "$PID" 2>/dev/null || fail "q left while the change was unsaved"
[ -f "$WORK/exits" ] && fail "q left while the change was unsaved"
keys Escape; wait_for -v "Ändringarna kunde inte sparas."
# Space is freed: the folder comes back. Quit, and pick "try again".
rm "$FOLDER"; mv "$WORK/moved" "$FOLDER"
keys q
# The saver may already have retried and saved (every 3 s); then q leaves at once.
for _ in $(seq 1 50); do
  [ -f "$WORK/exits" ] && break
  if screen | grep -qF "1  Försök spara igen"; then keys 1; fi
  sleep 0.1
done
wait_in_file "$WORK/exits" "BEVAKA-EXIT=0"
grep -qF '"status":"done"' "$STORE" || fail "the change marked in the app is not in the store"
echo "ok: failing saves ask before quitting and the change is saved once the disk is back"
