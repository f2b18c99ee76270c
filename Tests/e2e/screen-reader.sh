#!/usr/bin/env bash
# End-to-end (issue 13): screen-reader mode. The real binary in tmux 80x24 with --skarmlasare
# (and once with BEVAKA_SKARMLASARE=1): no alternate screen; after ↓ ↓ the terminal's cursor is
# on the selected row (screen readers and braille displays follow it), the first line names the
# screen and the selected item, and no screen holds box-drawing or block characters.
# Usage: Tests/e2e/screen-reader.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"

"$BIN" demo --store "$STORE" --today $TODAY >/dev/null
run_reader() {
  $T new-session -d -s e2e -x 80 -y 24 \
    "env LANG=C.UTF-8 TERM=xterm-256color HOME='$WORK' $1 '$BIN' --store '$STORE' --today $TODAY $2; echo BEVAKA-EXIT=\$?; sleep 600"
}
no_drawing() {
  # Box drawing U+2500–U+257F and block elements U+2580–U+259F: UTF-8 E2 94 80 … E2 96 9F.
  if screen | LC_ALL=C grep -qP '\xE2(\x94[\x80-\xBF]|\x95[\x80-\xBF]|\x96[\x80-\x9F])'; then
    fail "box-drawing or block characters on the screen ($1)"
  fi
}
cursor_on() {
  local row; row=$($T display -p -t e2e '#{cursor_y}')
  screen | sed -n "$((row + 1))p" | grep -qF -- "$1" || fail "the cursor (row $row) is not on the row with '$1'"
}

run_reader "" "--skarmlasare"
wait_for "Översikt. Vald:"
[ "$($T display -p -t e2e '#{alternate_on}')" = "0" ] || fail "the alternate screen is used"
before=$(screen | head -1); keys Down; wait_for -v "$before"
before=$(screen | head -1); keys Down; wait_for -v "$before"
selected=$(screen | head -1 | sed -n 's/^ *Översikt\. Vald: \([^,]*\),.*/\1/p')
[ -n "$selected" ] || fail "the first line does not name the selected item"
selected=${selected#rubriken }  # a section heading is named "rubriken …"
cursor_on "$selected"
no_drawing "Översikt"
keys 2; wait_for "Årshjul. Vald: "
screen | grep -qE "planerade av [0-9]+ arbetsdagar" || fail "the årshjul does not say its load in words"
no_drawing "Årshjul"
month=$(screen | head -1 | sed -n 's/^ *Årshjul\. Vald: \([a-zåäö]*\) .*/\1/p')
cursor_on "$month:"
keys 3; wait_for "Bevakningar. Vald: "; no_drawing "Bevakningar"
before=$(screen | head -1); keys Down; wait_for -v "$before"
selected=$(screen | head -1 | sed -n 's/^ *Bevakningar\. Vald: \([^,]*\),.*/\1/p'); cursor_on "$selected"
keys 4; wait_for "Ärenden. Vald: "; no_drawing "Ärenden"
keys F; wait_for "vad föranleder den"
no_drawing "a question"
keys Escape
keys ?; wait_for "Hjälp."; no_drawing "Hjälp"
screen | grep -qF "upp" || fail "arrows in help are not words"
keys q; wait_for "Ärenden. Vald: "
keys q; wait_for "BEVAKA-EXIT=0"
end_session

# The same mode from the environment variable.
run_reader "BEVAKA_SKARMLASARE=1" ""
wait_for "Översikt. Vald:"
[ "$($T display -p -t e2e '#{alternate_on}')" = "0" ] || fail "the alternate screen is used (BEVAKA_SKARMLASARE=1)"
keys q; wait_for "BEVAKA-EXIT=0"
echo "screen-reader e2e: 1 passed, 0 failed"
