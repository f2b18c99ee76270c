#!/usr/bin/env bash
# End-to-end: the program scripts/install makes carries ICU's data trimmed to the root, Swedish
# and English (scripts/icu-data) instead of Foundation's 34 MB of every locale. (Installed here
# with --debug: the same script, flags and data, built without optimisation, which keeps CI
# under four minutes; the release program's size is measured by scripts/install.) It must say
# exactly what the program under test (built with all of ICU's data) says, in every locale a
# user may have, for every command that reaches ICU through Foundation: dates and the week,
# today from the clock in Stockholm time, reports, exports, imports (a UTF-8 workbook and a
# Windows-1252 list), names sorted in the lists (Swedish collation puts Ö after Z) — and be
# at most 40 MB.
# e2e: builds the installed program (scripts/test starts it beside the tests).
# Usage: Tests/e2e/installed-icu.sh PATH-TO-bevaka
set -euo pipefail
BIN=${1:?path to the bevaka binary}
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/postgres.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

PREFIX="$WORK/prefix"
# A build folder of its own, so that it can build while scripts/test runs the tests.
(cd "$ROOT" && scripts/install --debug --prefix "$PREFIX" --scratch-path "$ROOT/.build/installed") >"$WORK/install.log" 2>&1 \
  || { tail -20 "$WORK/install.log"; fail "scripts/install"; }
INST="$PREFIX/bin/bevaka"
grep -qF "ICU-data:" "$WORK/install.log" || { cat "$WORK/install.log"; fail "the ICU data was not trimmed"; }
# The trimmed package is the one linked in: Swedish is there, Finnish (as every other locale) not.
grep -qaE "icudt[0-9]+l/coll/sv.res" "$INST" || fail "the program has no Swedish collation data"
grep -qaE "icudt[0-9]+l/fi.res" "$INST" && fail "the program carries ICU's whole package"
# The manual page and shell completion (issue 36, item 8): `man bevaka` finds the page from
# PATH, it renders in Swedish, and bash loads the completion.
( PATH="$PREFIX/bin:$PATH" man -w bevaka | grep -qxF "$PREFIX/share/man/man1/bevaka.1" ) || fail "man bevaka does not find the installed page"
LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$PREFIX/share/man/man1/bevaka.1" 2>/dev/null | grep -qF "uppföljning av beslut inom äldreomsorg" \
  || fail "man -l does not render the installed page in Swedish"
bash -c "source '$PREFIX/share/bash-completion/completions/bevaka' && complete -p bevaka" | grep -qE '^complete .* bevaka$' \
  || fail "bash does not load the completion"
grep -qxF "#compdef bevaka" "$PREFIX/share/zsh/site-functions/_bevaka" && grep -qF "complete -c 'bevaka'" "$PREFIX/share/fish/vendor_completions.d/bevaka.fish" \
  || fail "the zsh or fish completion is missing"
size=$(stat -c %s "$INST")
echo "installed program (debug build): $size bytes"

cases=0
# Runs both programs with the same locale, folder and arguments; their output and exit code agree.
same() {
  local lang=$1; shift
  local a b
  a=$(cd "$WORK" && env LANG="$lang" LC_ALL= HOME="$WORK" "$BIN" "$@" 2>&1; echo "exit $?")
  b=$(cd "$WORK" && env LANG="$lang" LC_ALL= HOME="$WORK" "$INST" "$@" 2>&1; echo "exit $?")
  if [ "$a" != "$b" ]; then
    diff <(echo "$a") <(echo "$b") | head -20
    fail "LANG=$lang bevaka $*: the installed program says something else"
  fi
  cases=$((cases + 1))
}

# Lists to import: the everyday workbook, and the demo's list in Windows-1252 as older Excel saves it.
cp "$ROOT/Tests/BevakaStoreTests/Fixtures/xlsx/everyday.xlsx" "$WORK/lista.xlsx"
"$BIN" export csv --demo --today "$TODAY" | sed "1s/^\xEF\xBB\xBF//" | iconv -f UTF-8 -t WINDOWS-1252 >"$WORK/lista-1252.csv"
grep -q $'\xd6' "$WORK/lista-1252.csv" || fail "the Windows-1252 list has no Ö"

for lang in C.UTF-8 sv_SE.UTF-8 en_US.UTF-8 fi_FI.UTF-8 ar_EG.UTF-8; do
  same "$lang" agenda --demo --today "$TODAY"
  same "$lang" agenda --demo                      # today from the clock, in Stockholm time
  same "$lang" agenda --demo --today "$TODAY" --format json
  same "$lang" agenda --demo --today 2026-03-29 --week   # summer time begins that night
  same "$lang" arshjul --demo --today "$TODAY"
  same "$lang" rapport --demo --today "$TODAY"
  same "$lang" rapport ivo --demo --today "$TODAY" --kvartal 2026-3 --format csv
  same "$lang" export ics --demo --today "$TODAY"
  same "$lang" export csv --demo --today "$TODAY"
  same "$lang" export json --demo --today "$TODAY"
  same "$lang" import "$WORK/lista.xlsx" --dry-run --verkstallt-fran-start --store "$WORK/ny.json" --today "$TODAY"
  same "$lang" import "$WORK/lista-1252.csv" --dry-run --store "$WORK/ny.json" --today "$TODAY"
  same "$lang" --today 1899-12-31 agenda --demo     # a date refused in Swedish
done

# The access log as the manager reviews it: times in Stockholm time (DateFormatter, sv_SE, time
# zones): Bo's import and his listing of his caseload.
unit_of_anna_and_bo
"$BIN" db user add maja_c --role chef --name "Maja Chef" --store "$URL" >/dev/null
"$BIN" agenda --store "$(as bo_k)" --today "$TODAY" >/dev/null   # Bo lists his caseload
for lang in C.UTF-8 sv_SE.UTF-8; do
  same "$lang" db audit --user bo_k --all --store "$(as maja_c)"
  same "$lang" db audit --user bo_k --all --format csv --store "$(as maja_c)"
done
grep -qE '[0-9]{2}:[0-9]{2}' <<<"$("$INST" db audit --user bo_k --all --store "$(as maja_c)")" || fail "db audit shows no times"

# The lists sorted by name (ICU's collation), on the screen: Ärenden sorted with s. (In the C.UTF-8
# locale: the terminal needs a UTF-8 locale the C library has, and Debian has only this one.)
screen_of_program() {  # PROGRAM LANG
  $T new-session -d -s e2e -x 80 -y 24 \
    "cd '$WORK'; env LANG=$2 TERM=xterm-256color HOME='$WORK' '$1' --demo --today $TODAY; sleep 600"
  wait_for "1 Översikt"
  keys 4; wait_for "Ärenden:"
  keys s; wait_for "sorterat på namn"
  keys G; sleep 0.2
  screen
  end_session
}
for lang in C.UTF-8; do
  a=$(screen_of_program "$BIN" "$lang")
  b=$(screen_of_program "$INST" "$lang")
  [ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b"); fail "LANG=$lang: Ärenden sorted by name differs"; }
  cases=$((cases + 1))
done
echo "installed-icu e2e: $cases comparisons, all the same"
