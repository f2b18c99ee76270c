#!/usr/bin/env bash
# End-to-end (issue 23): the reading commands run while the app holds the caseload; marking the
# IVO report sent says to do it in the app, where r on a "Rapportera till IVO" bevakning does it.
# Usage: Tests/e2e/report-while-open.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

"$BIN" demo --store "$STORE" --today 2027-01-05 >/dev/null
TODAY=2027-01-05
start
wait_for "1 Översikt"
for command in "rapport ivo --kvartal 2026-4" "rapport" "agenda" "arshjul" "export csv"; do
  # shellcheck disable=SC2086
  "$BIN" $command --store "$STORE" --today $TODAY > "$WORK/out" 2>&1 || fail "'$command' failed while the app is open: $(cat "$WORK/out")"
done
"$BIN" rapport ivo --kvartal 2026-4 --store "$STORE" --today $TODAY > "$WORK/ivo" 2>&1
grep -qF "Rapport till IVO" "$WORK/ivo" || fail "no IVO report while the app is open"
if "$BIN" rapport ivo --kvartal 2026-4 --markera-skickad --store "$STORE" --today $TODAY > "$WORK/mark" 2>&1; then
  fail "--markera-skickad wrote while the app holds the caseload"
fi
grep -qF "Markera kvartalet som skickat där" "$WORK/mark" || fail "the refusal does not say what to do: $(cat "$WORK/mark")"

# In the app: r on the reporting bevakning.
keys 3; wait_for "Bevakningar"
# t cycles the kind shown; at most once round the kinds.
for _ in $(seq 1 15); do screen | grep -qF "· Rapportera till IVO ·" && break; keys t; sleep 0.1; done
wait_for "· Rapportera till IVO ·"
keys r; wait_for "Är rapporten för kvartal 4 2026 skickad till IVO"
keys 2; wait_for "Kvartal 4 2026 är markerat som skickat till IVO"
wait_for "sparat"
grep -qF '"2026-Q4"' "$STORE" || fail "the quarter is not marked in the store"
keys q; wait_in_file "$WORK/exits" "BEVAKA-EXIT=0"
echo "ok: reports run while the app is open, and the quarter is marked sent from the app"
