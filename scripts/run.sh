#!/bin/bash
# Builds Catraca (release) and runs the daemon on its defaults: terminals on 0.0.0.0:7792, the
# database at /var/lib/catraca/catraca.db. Extra arguments go to `catraca run`, e.g.
#   scripts/run.sh --listen 127.0.0.1:7792 --db /tmp/catraca.db --log-level debug
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
dpkg -s libsqlite3-dev >/dev/null 2>&1 || scripts/setup.sh --no-python
swift build -c release --product catraca >&2
exec .build/release/catraca run --config etc/catraca.json5 "$@"
