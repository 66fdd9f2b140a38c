# Shared by Lanyard's shell tests (source it): a temporary directory $TMP removed on exit, one
# "ok NAME" / "FAIL NAME" line per check with the evidence indented below a failure, and a
# closing count. `finish` ends the script with status 1 when any check failed.

# lanyard_binary ARGS...: sets LANYARD to the absolute path of the binary named by the first
# argument, or exits 2 with a usage line.
lanyard_binary() {
  if [[ $# -lt 1 ]]; then
    echo "usage: bash $(basename "$0") PATH/TO/lanyard" >&2
    exit 2
  fi
  if [[ ! -x "$1" ]]; then
    echo "$(basename "$0"): $1 is not an executable" >&2
    exit 2
  fi
  LANYARD="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
}

# require COMMAND: exits 2 unless COMMAND is installed.
require() {
  command -v "$1" >/dev/null || { echo "$(basename "$0"): needs $1" >&2; exit 2; }
}

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok $1"; }
# fail NAME [DETAIL...]: DETAIL lines are shown indented under the FAIL line.
fail() {
  failed=$((failed + 1))
  echo "FAIL $1"
  shift
  local line
  for line in "$@"; do printf '%s\n' "$line" | head -c 4000 | sed 's/^/     | /'; done
}

# run CMD...: runs CMD with stdout in $TMP/out, stderr in $TMP/err, stdin from $STDIN
# (/dev/null unless set); the exit code in $RC.
RC=0
run() {
  RC=0
  "$@" <"${STDIN:-/dev/null}" >"$TMP/out" 2>"$TMP/err" || RC=$?
}
err() { cat "$TMP/err"; }

# check_eq NAME GOT WANT [DETAIL...]
check_eq() {
  local name="$1" got="$2" want="$3"
  shift 3
  if [[ "$got" == "$want" ]]; then
    pass "$name"
  else
    fail "$name" "got:  $got" "want: $want" "$@"
  fi
}

# expect_rc NAME WANT CMD...: CMD exits with WANT.
expect_rc() {
  local name="$1" want="$2"
  shift 2
  run "$@"
  check_eq "$name" "exit $RC" "exit $want" "$(err)"
}

# start_web_server DIR: serves DIR over plain HTTP on a free loopback port (python3's
# http.server), as an organisation's web site would serve its DID document and status lists.
# Sets PORT and BASE (http://127.0.0.1:PORT); the server is stopped on exit.
start_web_server() {
  PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$1" >"$TMP/web-server.log" 2>&1 &
  SERVER=$!
  trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$TMP"' EXIT
  local _
  for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null && break
    sleep 0.1
  done
  BASE="http://127.0.0.1:$PORT"
}

finish() {
  echo
  echo "$passed passed, $failed failed"
  [[ "$failed" == 0 ]]
}
