#!/usr/bin/env bash
# End-to-end, the unit on PostgreSQL (issue 34, item 5): the manager opens the case of a person
# with protected identity in the app, is asked why first, picks a purpose, and the access log's
# row of that opening holds the purpose as the database's own word.
# Usage: Tests/e2e/unit-protected.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/postgres.sh"
unit_of_anna_and_bo
"$BIN" db user add maja_c --role chef --name "Maja Chef" --store "$URL" >/dev/null

# The first person by name has protected identity.
ID=$(sql "SELECT id FROM bevaka_clients ORDER BY doc->>'name' LIMIT 1")
sql "UPDATE bevaka_clients SET doc = jsonb_set(doc, '{protected}', 'true') WHERE id = '$ID'" >/dev/null

app_on maja "$(as maja_c)"; wait_on maja "Enhetschef: planering"
$T send-keys -t maja 4 s; wait_on maja "sorterat på namn"
$T send-keys -t maja Enter; wait_on maja "varför öppnar du ärendet"
screen_of maja | grep -qF "Öppningen loggas" && screen_of maja | grep -qF "loggkontrollen" \
  || { echo "FAIL: the question does not say it is logged"; screen_of maja; exit 1; }
[ "$(sql "SELECT count(*) FROM bevaka_access_log WHERE who = 'maja_c' AND action = 'opened' AND client_id = '$ID'")" = 0 ] \
  || { echo "FAIL: the case was read before the manager said why"; exit 1; }
$T send-keys -t maja 2; wait_on maja "Öppningen loggas med syftet \"tillsyn\""
wait_on maja "Att göra och varför"
for _ in $(seq 1 100); do
  [ "$(sql "SELECT detail FROM bevaka_access_log WHERE who = 'maja_c' AND action = 'opened' AND client_id = '$ID'")" = "ärende: tillsyn" ] && break
  sleep 0.1
done
[ "$(sql "SELECT detail FROM bevaka_access_log WHERE who = 'maja_c' AND action = 'opened' AND client_id = '$ID'")" = "ärende: tillsyn" ] \
  || { echo "FAIL: the log row does not hold the purpose"; sql "SELECT action, detail FROM bevaka_access_log WHERE who = 'maja_c'"; exit 1; }
quit_app maja
echo "ok: the manager says why before a protected person's case opens, and the log keeps it"
