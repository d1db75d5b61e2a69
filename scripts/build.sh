#!/bin/bash
# Builds the release binaries into .build/release/: catraca, catraca-plugin-host, catraca-emulator,
# catraca-bench, catraca-gpio-probe, and the example plugins (lib*.so).
# Finds Swift on PATH or in /opt/swift.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
swift build -c release
