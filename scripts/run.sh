#!/bin/bash
# Builds Catraca (release) and runs the daemon on its defaults: terminals on 0.0.0.0:7792, the
# database at /var/lib/catraca/catraca.db, the config /etc/catraca/catraca.json5 when it exists and the
# repository's etc/catraca.json5 otherwise. Extra arguments go to `catraca run`, e.g.
#   scripts/run.sh --listen 127.0.0.1:7792 --db /tmp/catraca.db --log-level debug
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
dpkg -s libsqlite3-dev libgpiod-dev libmosquitto-dev >/dev/null 2>&1 || scripts/setup.sh
swift build -c release >&2  # the daemon, its plugin host and the example plugins beside it
config=/etc/catraca/catraca.json5
[ -f "$config" ] || config=etc/catraca.json5
exec .build/release/catraca run --config "$config" "$@"
