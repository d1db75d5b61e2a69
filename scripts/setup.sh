#!/bin/bash
# Installs what Catraca needs to build, run and test on Debian 12 (run as root, or with sudo).
# Safe to run again: it installs only what is missing.
#
#   Debian:  libsqlite3-dev (the store), libmosquitto-dev (the MQTT upstream), python3-venv (the live
#            tests' virtual environment), mosquitto (the broker the MQTT tests start on 127.0.0.1;
#            Debian's package also enables a system broker on port 1883, which the tests do not use)
#   PyPI:    pytest and websockets, pinned in Tests/live/requirements.txt, into .venv/
# The Swift toolchain (6.x) is expected on PATH or at /opt/swift.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libsqlite3-dev libmosquitto-dev)
if [ "${1:-}" != "--no-python" ]; then
  packages+=(mosquitto)  # tests only
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

if [ "${1:-}" != "--no-python" ]; then
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv 2>/dev/null || {
      echo "setup: python3 -m venv failed; installing python3-venv"
      apt-get install -y -qq --no-install-recommends python3-venv
      python3 -m venv .venv
    }
  fi
  .venv/bin/python -m pip install -q --disable-pip-version-check -r Tests/live/requirements.txt
fi

export PATH="$PATH:/opt/swift/usr/bin"
command -v swift >/dev/null || { echo "setup: no swift on PATH nor in /opt/swift/usr/bin; install Swift 6"; exit 1; }
echo "setup: done ($(swift --version 2>/dev/null | head -n 1))"
