# Shared by the end-to-end scripts on the shared store: a private PostgreSQL server of the
# script's own (scripts/dev-postgres), stopped with the tmux server when the script ends, and
# apps in named tmux sessions. Source after lib/common.sh. Sets URL (the superuser's) and PGDIR.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
URL=$("$ROOT/scripts/dev-postgres" start)
PGDIR=${URL#*host=}
trap '$T kill-server 2>/dev/null || true; "$ROOT/scripts/dev-postgres" stop "$PGDIR"; rm -rf "$WORK"' EXIT
"$BIN" db init --store "$URL" >/dev/null

# as ROLE: the store URL for a role on the private server; sql TEXT: SQL as the superuser.
as() { echo "postgresql://$1@/bevaka?host=$PGDIR"; }
sql() { psql -X -At -h "$PGDIR" -U postgres -d bevaka -c "$1"; }

# unit_of_anna_and_bo: handläggare anna_l and bo_k, the policies' date set to $TODAY, and the demo
# caseload imported as Bo's.
unit_of_anna_and_bo() {
  "$BIN" db user add anna_l --role handlaggare --name "Anna Lind" --store "$URL" >/dev/null
  "$BIN" db user add bo_k --role handlaggare --name "Bo Karlsson" --store "$URL" >/dev/null
  sql "INSERT INTO bevaka_clock VALUES (true, '$TODAY')" >/dev/null   # the date the policies see
  "$BIN" demo --store "$WORK/demo.json" --today $TODAY >/dev/null
  "$BIN" db import-store "$WORK/demo.json" --owner bo_k --store "$URL" >/dev/null
}

# app SESSION STORE-URL: the real binary at 80×24 in a session of its own.
app_on() {
  $T new-session -d -s "$1" -x 80 -y 24 \
    "env LANG=C.UTF-8 TERM=xterm-256color HOME='$WORK' '$BIN' --store '$2' --today $TODAY; echo BEVAKA-EXIT=\$? >> '$WORK/exits-$1'; sleep 600"
}
screen_of() { $T capture-pane -p -t "$1"; }
# wait_on SESSION TEXT: polls the session's screen for the text; 10 s at most.
wait_on() {
  for _ in $(seq 1 100); do screen_of "$1" | grep -qF -- "$2" && return 0; sleep 0.1; done
  echo "FAIL: waited for '$2' in $1"; screen_of "$1"; exit 1
}
# quit SESSION: q, and the app must leave with exit status 0 (30 s at most: a loaded CI machine).
# On failure it says the exit status, or, when the app is still there, what its threads wait in.
quit_app() {
  $T send-keys -t "$1" q
  for _ in $(seq 1 300); do [ -f "$WORK/exits-$1" ] && break; sleep 0.1; done
  grep -qF "BEVAKA-EXIT=0" "$WORK/exits-$1" 2>/dev/null && return 0
  echo "FAIL: $1 did not leave cleanly: $(cat "$WORK/exits-$1" 2>/dev/null || echo "still running after 30 s")"
  screen_of "$1"
  local pid; pid=$($T display -p -t "$1" '#{pane_pid}' 2>/dev/null || true)
  for p in $(pgrep -P "${pid:-0}" 2>/dev/null); do
    for task in /proc/"$p"/task/*; do echo "thread $(cat "$task/comm" 2>/dev/null): $(cat "$task/wchan" 2>/dev/null)"; done
  done
  exit 1
}
