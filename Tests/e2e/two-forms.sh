#!/usr/bin/env bash
# End-to-end, two apps on one database (issue 21): Anna covers for Bo; both open the same
# person's form. Anna fills in her phone field, Bo the door code; Anna saves, then Bo: both
# fields are in the database. Then both change the door code: Bo is asked whose to keep, and his
# answer is what the database holds.
# Usage: Tests/e2e/two-forms.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/postgres.sh"
unit_of_anna_and_bo
"$BIN" db cover --to anna_l --until 2026-12-24 --store "$(as bo_k)" >/dev/null

# Both open the form of the first person by name. The fields' order: namn, personnummer,
# saknar svenskt personnummer, födelsedatum, kön, reservnummer, företrädare, roll, kontakt, barn, anteckning, gatuadress, postnummer, ort, telefon (eget),
# telefon (anhörig), telefon (god man), portkod.
open_form() {
  app_on "$1" "$(as "$2")"; wait_on "$1" "1 Översikt"
  $T send-keys -t "$1" 4 s; wait_on "$1" "sorterat på namn"
  $T send-keys -t "$1" Enter; wait_on "$1" "e ändra  b beslut"
  $T send-keys -t "$1" e; wait_on "$1" "Ändra uppgifter om"
}
field() {  # SESSION TABS TEXT: to the field, cleared, typed
  for _ in $(seq 1 "$2"); do $T send-keys -t "$1" Tab; done
  $T send-keys -t "$1" C-u; $T send-keys -t "$1" -l "$3"
}
open_form anna anna_l
NAME=$(screen_of anna | sed -n 2p | sed 's/.*Ändra uppgifter om //; s/ *$//')
ID=$(sql "SELECT id FROM bevaka_clients WHERE doc->>'name' = '$NAME'")
[ -n "$ID" ] || { echo "FAIL: no person named '$NAME'"; screen_of anna; exit 1; }
open_form bo bo_k
field anna 14 "070-111 22 33"
field bo 17 "4711"
$T send-keys -t anna C-s; wait_on anna "Uppgifterna om $NAME är sparade"
# Bo's app hears Anna's change while his form is open.
wait_on bo "ändrades av Anna Lind"
$T send-keys -t bo C-s; wait_on bo "Uppgifterna om $NAME är sparade"
[ "$(sql "SELECT doc->>'doorCode' FROM bevaka_clients WHERE id = '$ID'")" = "4711" ] \
  || { echo "FAIL: Bo's door code is not saved"; exit 1; }
sql "SELECT doc->'phones' FROM bevaka_clients WHERE id = '$ID'" | grep -qF "070-111 22 33" \
  || { echo "FAIL: Anna's phone number was lost when Bo saved"; sql "SELECT doc FROM bevaka_clients WHERE id = '$ID'"; exit 1; }

# The same field, changed by both: Bo is asked. (Anna's app has heard Bo's save first.)
wait_on anna "ändrades av Bo Karlsson"
$T send-keys -t anna e; wait_on anna "Ändra uppgifter om"
$T send-keys -t bo e; wait_on bo "Ändra uppgifter om"
field anna 17 "1111"
field bo 17 "2222"
$T send-keys -t anna C-s; wait_on anna "Uppgifterna om $NAME är sparade"
wait_on bo "ändrades av Anna Lind"
$T send-keys -t bo C-s; wait_on bo "Anna ändrade också Portkod (till 1111) medan du skrev."
screen_of bo | grep -qF "Behåll Annas" || { echo "FAIL: the question has no choice of Anna's value"; screen_of bo; exit 1; }
[ "$(sql "SELECT doc->>'doorCode' FROM bevaka_clients WHERE id = '$ID'")" = "1111" ] \
  || { echo "FAIL: something was saved before Bo answered"; exit 1; }
$T send-keys -t bo 1; wait_on bo "Uppgifterna om $NAME är sparade"
[ "$(sql "SELECT doc->>'doorCode' FROM bevaka_clients WHERE id = '$ID'")" = "2222" ] \
  || { echo "FAIL: Bo kept his value but the database has another"; exit 1; }
sql "SELECT doc->'phones' FROM bevaka_clients WHERE id = '$ID'" | grep -qF "070-111 22 33" \
  || { echo "FAIL: Anna's phone number was lost"; exit 1; }
quit_app anna
quit_app bo
echo "ok: two forms on one person keep both changes, and the same field is asked about"
