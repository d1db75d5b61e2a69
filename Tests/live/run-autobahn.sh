#!/bin/bash
# Runs the Autobahn|Testsuite fuzzing client against the daemon's WebSocket echo endpoint.
#
#   Tests/live/run-autobahn.sh [cases-json-array]
#
# Starts `catraca run --websocket-echo /echo` on a free loopback port with a throwaway database, runs
# $SHARED/tools/autobahn/run.sh ws://127.0.0.1:PORT/echo (SHARED defaults to <repo>/../shared), stops the
# daemon with SIGTERM and exits with the tool's status; the tool prints "N passed, N failed".
# CATRACA_BIN_DIR chooses the binaries (default <repo>/.build/debug). The tool gets at most 600 s.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin_dir=${CATRACA_BIN_DIR:-$repo/.build/debug}
shared=${SHARED:-$repo/../shared}
tool=$shared/tools/autobahn/run.sh

if [ ! -x "$bin_dir/catraca" ]; then
    echo "run-autobahn: no $bin_dir/catraca; run swift build or set CATRACA_BIN_DIR" >&2
    exit 2
fi
[ -f "$tool" ] || { echo "run-autobahn: no Autobahn wrapper at $tool; set SHARED" >&2; exit 2; }

work=$(mktemp -d /tmp/catraca-autobahn.XXXXXX)
log=$work/daemon.log
daemon_pid=

stop_daemon() {
    if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
        kill -TERM "$daemon_pid"
        wait "$daemon_pid" || echo "run-autobahn: daemon exited $? on SIGTERM (log: $log)" >&2
    fi
    daemon_pid=
}
trap stop_daemon EXIT

"$bin_dir/catraca" run --listen 127.0.0.1:0 --db "$work/catraca.db" --log-level info \
    --websocket-echo /echo 2>"$log" &
daemon_pid=$!

# Port 0 lets the kernel choose; the daemon names the port it got in its start-up line (at info level).
port=
for _ in $(seq 1 150); do
    port=$(sed -n 's/.*listening for terminals listen=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$daemon_pid" 2>/dev/null || { echo "run-autobahn: daemon did not start:" >&2; cat "$log" >&2; exit 2; }
    sleep 0.1
done
[ -n "$port" ] || { echo "run-autobahn: daemon did not report its port within 15 s (log: $log)" >&2; exit 2; }

status=0
timeout 600 bash "$tool" "ws://127.0.0.1:$port/echo" "$@" || status=$?
stop_daemon
exit "$status"
