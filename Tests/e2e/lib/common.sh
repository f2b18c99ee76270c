# Shared by the end-to-end scripts: a private tmux server (its socket in WORK) at 80x24, polling helpers and a store
# in a temporary folder. Source it after setting BIN; it sets WORK, STORE, TODAY and the trap.
set -euo pipefail
WORK=$(mktemp -d)
# The server's socket lives in WORK, so nothing is left in /tmp/tmux-UID/ when the script ends.
T="tmux -S $WORK/tmux.sock"
trap '$T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
STORE="$WORK/data/caseload.json"
TODAY=2026-11-22
export LANG=C.UTF-8

fail() { echo "FAIL: $*"; echo "--- screen ---"; $T capture-pane -p -t e2e 2>/dev/null || true; exit 1; }
screen() { $T capture-pane -p -t e2e; }
# Polls the screen until it contains (or, with -v, no longer contains) a text; 10 s at most.
wait_for() {
  local negate=0; [ "$1" = "-v" ] && { negate=1; shift; }
  for _ in $(seq 1 100); do
    if screen | grep -qF -- "$1"; then [ $negate -eq 0 ] && return 0; else [ $negate -eq 1 ] && return 0; fi
    sleep 0.1
  done
  [ $negate -eq 1 ] && fail "waited for '$1' to go away" || fail "waited for '$1'"
}
# Polls a file until it contains a text; 10 s at most.
wait_in_file() {
  for _ in $(seq 1 100); do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "waited for '$2' in $1"
}
keys() { $T send-keys -t e2e "$@"; }
# Ends the e2e session and waits until its server (whose last session it was) has exited, so the
# next start gets a new server instead of one on its way out ("server exited unexpectedly").
end_session() {
  local pid; pid=$($T display -p -t e2e '#{pid}' 2>/dev/null || true)
  $T kill-session -t e2e 2>/dev/null || true
  [ -n "$pid" ] || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
}
# The bevaka process itself (the shell tmux runs quotes the path, so only bevaka matches).
bevaka_pid() { pgrep -f -- "--store $STORE" | head -1; }

# Starts bevaka in a new 80x24 session; the shell prints its exit code (also to $WORK/exits,
# since after a SIGKILL the screen is left as the app drew it) and stays. The server
# goes away with its last session, so its options are set on every start: OSC 52 from the app
# becomes a tmux paste buffer (`show-buffer`).
start() {
  $T new-session -d -s e2e -x 80 -y 24 \
    "env LANG=C.UTF-8 TERM=xterm-256color HOME='$WORK' '$BIN' --store '$STORE' --today $TODAY; echo BEVAKA-EXIT=\$? | tee -a '$WORK/exits'; sleep 600"
  $T set-option -g set-clipboard on
}
