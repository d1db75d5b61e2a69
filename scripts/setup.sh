#!/bin/bash
# Installs what Catraca needs on Debian 12 (run as root, or with sudo). Safe to run again: it installs only
# what is missing.
#
#   scripts/setup.sh           what building and running the daemon needs:
#       libsqlite3-dev (the store), libgpiod-dev and gpiod (turnstile lines through libgpiod v1, and
#       gpiodetect/gpioinfo/gpiomon for checking the wiring), libmosquitto-dev (the MQTT upstream)
#   scripts/setup.sh --tests   that, plus what only the tests use (scripts/test.sh runs this):
#       mosquitto (a broker the MQTT tests start on 127.0.0.1; Debian's package also enables a system broker on
#       port 1883, which the tests do not use), mosquitto-clients (mosquitto_sub and mosquitto_pub, the live
#       MQTT test's subscriber), chromium (headless, for the status page's test),
#       python3-venv and, into .venv/, the PyPI packages pinned in Tests/live/requirements.txt
#       (pytest, websockets, prometheus-client, aiortc)
# The Swift toolchain (6.x) is expected on PATH or at /opt/swift.
set -euo pipefail
cd "$(dirname "$0")/.."

tests=false
case "${1:-}" in
  --tests) tests=true ;;
  "") ;;
  *) echo "usage: scripts/setup.sh [--tests]"; exit 2 ;;
esac

packages=(libsqlite3-dev libgpiod-dev gpiod libmosquitto-dev)
if $tests; then
  packages+=(mosquitto mosquitto-clients chromium python3-venv)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if $tests; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -r Tests/live/requirements.txt
fi

export PATH="$PATH:/opt/swift/usr/bin"
command -v swift >/dev/null || { echo "setup: no swift on PATH nor in /opt/swift/usr/bin; install Swift 6"; exit 1; }
echo "setup: done ($(swift --version 2>/dev/null | head -n 1))"
