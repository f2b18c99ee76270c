#!/usr/bin/env bash
# End-to-end (issue 23): < in the årshjul never moves a follow-up into the past without asking;
# no keeps the date, and the store is unchanged.
# Usage: Tests/e2e/move-past.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

"$BIN" demo --store "$STORE" --today $TODAY >/dev/null
start
wait_for "1 Översikt"
keys 2; wait_for "Årshjul 2026"
keys Down Enter; wait_for "December 2026"
before=$(sha256sum "$STORE" | cut -d' ' -f1)
keys "<"; wait_for "har redan passerat"
screen | grep -qF "Nej, behåll 2026-12-07" || fail "the question does not offer to keep the date"
keys 1; wait_for "Inte flyttad: datumet är kvar."
[ "$(sha256sum "$STORE" | cut -d' ' -f1)" = "$before" ] || fail "answering no changed the store"
screen | grep -qF "2026-12-07" || fail "the follow-up left December"
keys q; wait_in_file "$WORK/exits" "BEVAKA-EXIT=0"
echo "ok: a move into the past asks, and no keeps the date"
