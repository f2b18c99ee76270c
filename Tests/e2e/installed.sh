#!/usr/bin/env bash
# End-to-end (issue 13): Bevaka in the layout scripts/install makes (PREFIX/bin/bevaka and
# PREFIX/share/bevaka/themes), started from another folder: the light theme is found from the
# program's own path (/proc/self/exe), with no theme warning; a missing theme lists the ones there
# are. (scripts/install itself builds in release; this uses the binary under test.)
# Usage: Tests/e2e/installed.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

PREFIX="$WORK/prefix"
install -d "$PREFIX/bin" "$PREFIX/share/bevaka/themes"
cp "$BIN" "$PREFIX/bin/bevaka"
install -m 0644 "$ROOT"/Themes/*.json "$PREFIX/share/bevaka/themes/"
# The scripts/install lines this mirrors, so the two cannot drift apart unseen.
grep -qF 'install -m 0644 Themes/*.json "$prefix/share/bevaka/themes/"' "$ROOT/scripts/install" \
  || fail "scripts/install no longer installs the themes to PREFIX/share/bevaka/themes"

"$PREFIX/bin/bevaka" --version | grep -qE '^bevaka [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"

run_in_root() {
  $T new-session -d -s e2e -x 80 -y 24 \
    "cd /; env LANG=C.UTF-8 TERM=xterm-256color HOME='$WORK' '$PREFIX/bin/bevaka' --demo --today $TODAY $1; echo BEVAKA-EXIT=\$?; sleep 600"
}
run_in_root "--theme light"
wait_for "1 Översikt"
screen | grep -qF "Temat" && fail "a theme warning with the installed layout"
# The light theme's title bar: white on blue (light.json), not the default's black on cyan.
$T capture-pane -e -p -t e2e | head -1 | grep -qF $'\e[37m\e[44m' || fail "the title bar is not in the light theme's colours"
keys q; wait_for "BEVAKA-EXIT=0"
end_session

run_in_root "--theme nosuch"
wait_for "Temat \"nosuch\" finns inte. Teman som finns: default, high-contrast, light,"
screen | grep -qF "mono. Standardtemat används." || fail "the list of themes or the fallback is not said"
keys q; wait_for "BEVAKA-EXIT=0"
echo "installed e2e: 1 passed, 0 failed"
