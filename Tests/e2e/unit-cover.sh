#!/usr/bin/env bash
# End-to-end, the unit on PostgreSQL (a private server of the test's own): Bo starts a follow-up;
# Bo lets Anna cover for him; Anna's app shows the cover and Bo's cases marked as his, she opens
# the case and ticks one checklist item; the manager's `db audit --user anna_l` lists exactly
# that open and that change; Bo's app says who covers for him; the manager's app shows the unit.
# Usage: Tests/e2e/unit-cover.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/postgres.sh"
unit_of_anna_and_bo
"$BIN" db user add maja_c --role chef --name "Maja Chef" --store "$URL" >/dev/null

app() { app_on "$1" "$(as "$2")"; }  # session role

# Anna sees nothing of Bo's before the cover.
app anna0 anna_l; wait_on anna0 "1 Översikt"
$T send-keys -t anna0 4; wait_on anna0 "Ärenden: 0 personer"; quit_app anna0

# Bo starts a follow-up of the first person in his list (sorted by name) and leaves it.
app bo bo_k; wait_on bo "1 Översikt"
$T send-keys -t bo 4 s; wait_on bo "sorterat på namn"
NAME=$(screen_of bo | sed -n 4p | awk '{print $1" "$2}')
$T send-keys -t bo F; wait_on bo "vad föranleder"
$T send-keys -t bo Enter; wait_on bo "Hur görs uppföljningen"
$T send-keys -t bo Enter; wait_on bo "Förberedelse"; wait_on bo "sparat"
quit_app bo
ID=$(sql "SELECT id FROM bevaka_clients WHERE doc ? 'draft'")
[ -n "$ID" ] || { echo "FAIL: Bo's follow-up is not in the database"; exit 1; }

# Bo lets Anna cover for him.
"$BIN" db cover --to anna_l --until 2026-12-24 --store "$(as bo_k)" | grep -qF "Anna L. täcker för Bo K. till och med 2026-12-24" \
  || { echo "FAIL: db cover did not confirm"; exit 1; }

# Anna: the cover is shown, Bo's people carry his initials; she opens the case and ticks one item.
app anna anna_l; wait_on anna "Du täcker för Bo K. till 2026-12-24"
$T send-keys -t anna 4 s; wait_on anna "sorterat på namn"
screen_of anna | sed -n 4p | grep -qF "[BK] $NAME" || { echo "FAIL: the covered case is not marked as Bo's"; screen_of anna; exit 1; }
$T send-keys -t anna Enter; wait_on anna "Pågående uppföljning"
$T send-keys -t anna " "; wait_on anna "sparat"
quit_app anna
[ "$(sql "SELECT updated_by || ' ' || owner FROM bevaka_clients WHERE id = '$ID'")" = "anna_l bo_k" ] \
  || { echo "FAIL: the change is not Anna's on Bo's case"; exit 1; }
sql "SELECT doc->'draft'->'answers' FROM bevaka_clients WHERE id = '$ID'" | grep -qF '"done"' \
  || { echo "FAIL: the ticked item is not in the database"; exit 1; }

# The manager's loggkontroll: exactly that open and that change.
AUDIT=$("$BIN" db audit --user anna_l --format csv --store "$(as maja_c)")
echo "$AUDIT" | tail -n +2 | cut -d';' -f3,4,6 > "$WORK/audit"
printf 'anna_l;%s;öppnade\nanna_l;%s;ändrade\n' "$ID" "$ID" | diff - "$WORK/audit" \
  || { echo "FAIL: db audit --user anna_l is not exactly the open and the change"; echo "$AUDIT"; exit 1; }

# Bo's screen says who covers for him.
app bo2 bo_k; wait_on bo2 "Anna L. täcker för dig till 2026-12-24"; quit_app bo2

# The manager: the unit per handläggare, read-only.
app maja maja_c; wait_on maja "Enhetschef: planering"
$T send-keys -t maja 5; wait_on maja "Enheten: 2 handläggare, 33 personer"
screen_of maja | grep -q "Bo Karlsson *33" || { echo "FAIL: the unit view does not show Bo's caseload"; screen_of maja; exit 1; }
# The verkställighet ladder: Bo's stalled start (the demo's dagverksamhet, not started after 14 days)
# stands in the Start column and in the detail line of the selected handläggare.
screen_of maja | grep -q "Handläggare .*Start" || { echo "FAIL: no Start column"; screen_of maja; exit 1; }
[ "$(screen_of maja | grep "Bo Karlsson" | awk '{print $6}')" = 1 ] || { echo "FAIL: Bo's stalled starts are not 1"; screen_of maja; exit 1; }
$T send-keys -t maja j; wait_on maja "Ej startade insatser: 1"
quit_app maja
# The unit's IVO report from the manager's store: Bo's decisions once, under his name, preliminary
# for the running quarter; each case read is in the log as the manager's.
IVO=$("$BIN" rapport ivo --kvartal 2026-4 --store "$(as maja_c)" --today $TODAY)
echo "$IVO" | grep -qF "PRELIMINÄR" && echo "$IVO" | grep -qF " Handläggare: Bo Karlsson" \
  || { echo "FAIL: the unit's IVO report is not grouped by handläggare"; echo "$IVO"; exit 1; }
[ "$(echo "$IVO" | grep -cE '^  [0-9]{8}-[0-9]{4} ')" -ge 2 ] || { echo "FAIL: the unit's IVO report lacks the personnummer"; echo "$IVO"; exit 1; }
[ "$(sql "SELECT count(*) FROM bevaka_access_log WHERE who = 'maja_c' AND action = 'opened' AND detail = 'IVO-rapport'")" -ge 2 ] \
  || { echo "FAIL: the manager's reads for the IVO report are not logged"; exit 1; }
echo "ok: a cover, an opened and changed case, and exactly those in the manager's audit"
