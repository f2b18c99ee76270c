#!/usr/bin/env bash
# End-to-end: two handläggare on the same PostgreSQL store (a private server of the test's own).
# A marks a bevakning done; B's open app shows the change within seconds, names who made it,
# and the database holds it. Then B changes another person and A sees that.
# Usage: Tests/e2e/shared-store.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/postgres.sh"
"$BIN" demo --store "$URL" --today $TODAY >/dev/null
app() { app_on "$1" "$URL"; }
app anna; app bo
wait_on anna "1 Översikt"; wait_on bo "1 Översikt"
$T send-keys -t anna 3; wait_on anna "Bevakningar: försenade"
$T send-keys -t bo 3; wait_on bo "Bevakningar: försenade"
FIRST=$(screen_of anna | sed -n 4p | awk '{print $5" "$6}')
$T send-keys -t anna d; wait_on anna "markerad klar"; wait_on anna "sparat"
# Bo's screen shows it without a restart: the row is gone and the status line says who.
wait_on bo "ändrades av postgres"
screen_of bo | grep -qF "Ärendet för $FIRST" || { echo "FAIL: Bo is not told whose case changed"; screen_of bo; exit 1; }
[ "$(psql -X -At -h "$PGDIR" -U postgres -d bevaka -c "SELECT count(*) FROM bevaka_clients WHERE doc->'reminders' @> '[{\"status\":\"done\"}]'")" = 1 ] \
  || { echo "FAIL: the database does not hold Anna's change"; exit 1; }
# And the other way round.
$T send-keys -t bo p; wait_on bo "sparat"
wait_on anna "ändrades av postgres"
quit_app anna; quit_app bo
echo "ok: a change in one app appears in the other, on the shared store"
