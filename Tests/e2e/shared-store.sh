#!/usr/bin/env bash
# End-to-end: two handläggare on the same PostgreSQL store (a private server of the test's own).
# A marks a bevakning done; B's open app shows the change within seconds, names who made it,
# and the database holds it. Then B changes another person and A sees that.
# Usage: Tests/e2e/shared-store.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
URL=$("$ROOT/scripts/dev-postgres" start)
PGDIR=${URL#*host=}
trap '$T kill-server 2>/dev/null || true; "$ROOT/scripts/dev-postgres" stop "$PGDIR"; rm -rf "$WORK"' EXIT
"$BIN" db init --store "$URL" >/dev/null
"$BIN" demo --store "$URL" --today $TODAY >/dev/null

app() {  # session name
  $T new-session -d -s "$1" -x 80 -y 24 \
    "env LANG=C.UTF-8 TERM=xterm-256color HOME='$WORK' '$BIN' --store '$URL' --today $TODAY; echo BEVAKA-EXIT=\$? >> '$WORK/exits-$1'; sleep 600"
}
screen_of() { $T capture-pane -p -t "$1"; }
wait_on() {  # session text
  for _ in $(seq 1 100); do screen_of "$1" | grep -qF -- "$2" && return 0; sleep 0.1; done
  echo "FAIL: waited for '$2' in $1"; screen_of "$1"; exit 1
}
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
$T send-keys -t anna q; $T send-keys -t bo q
for s in anna bo; do
  for _ in $(seq 1 100); do [ -f "$WORK/exits-$s" ] && break; sleep 0.1; done
  grep -qF "BEVAKA-EXIT=0" "$WORK/exits-$s" || { echo "FAIL: $s did not leave cleanly"; exit 1; }
done
echo "ok: a change in one app appears in the other, on the shared store"
