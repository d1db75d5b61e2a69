#!/bin/bash
# Installs Catraca as a system service: the binary and its plugin host, the config file (kept if present),
# the systemd unit, the catraca user and gpio group, the udev rule for GPIO, the (empty) plugin folder and the
# example plugins beside it, in share/catraca/plugins-examples (a site enables one by copying it into
# lib/catraca/plugins and reloading).
#
#   scripts/install.sh [--prefix DIR] [--destdir DIR] [--binary FILE]
#
#   --prefix DIR   where bin/catraca, bin/catraca-plugin-host, lib/catraca/plugins and share/catraca go
#                  (default /usr/local); catraca looks for its plugins in PREFIX/lib/catraca/plugins
#   --destdir DIR  stage everything under DIR instead of / (also $DESTDIR), e.g. to build a package or to
#                  test the layout; users are then not created and systemd is not told
#   --binary FILE  install this binary instead of building the release one (scripts/build.sh); the plugin host
#                  and the example plugins (lib*.so) are taken from its folder
#
# Run as root for a real install. The config file and its folder go to /etc/catraca and the unit to
# /etc/systemd/system whatever the prefix: that is where the system looks for them.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
destdir=${DESTDIR:-}
binary=
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=$2; shift 2 ;;
    --destdir) destdir=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument $1; see --help" >&2; exit 2 ;;
  esac
done
case $prefix in
  /*) ;;
  *) echo "install.sh: --prefix must be an absolute path, not $prefix" >&2; exit 2 ;;
esac

if [ -z "$binary" ]; then
  scripts/build.sh
  binary=.build/release/catraca
fi
[ -x "$binary" ] || { echo "install.sh: $binary is not an executable; build it or give --binary" >&2; exit 1; }
built=$(dirname "$binary")
host="$built/catraca-plugin-host"
[ -x "$host" ] || { echo "install.sh: $host is missing; build it (scripts/build.sh) beside $binary" >&2; exit 1; }
examples=(anti-passback visitor-qr schedule occupancy)
for example in "${examples[@]}"; do
  [ -f "$built/lib$example.so" ] || { echo "install.sh: $built/lib$example.so is missing; build it" \
    "(scripts/build.sh) beside $binary" >&2; exit 1; }
done

root=${destdir%/}
echo "installing catraca under ${root:-/} with prefix $prefix"

install -D -m 0755 "$binary" "$root$prefix/bin/catraca"
install -D -m 0755 "$host" "$root$prefix/bin/catraca-plugin-host"
install -d -m 0755 "$root$prefix/lib/catraca/plugins"
for example in "${examples[@]}"; do
  install -D -m 0644 "$built/lib$example.so" "$root$prefix/share/catraca/plugins-examples/lib$example.so"
done

config="$root/etc/catraca/catraca.json5"
if [ -e "$config" ]; then
  echo "kept $config (the example is at $root$prefix/share/catraca/catraca.json5)"
else
  install -D -m 0640 etc/catraca.json5 "$config"
fi
install -D -m 0644 etc/catraca.json5 "$root$prefix/share/catraca/catraca.json5"

unit="$root/etc/systemd/system/catraca.service"
install -D -m 0644 etc/catraca.service "$unit"
sed -i "s|^ExecStart=/usr/local/bin/catraca |ExecStart=$prefix/bin/catraca |" "$unit"
install -D -m 0644 etc/catraca-gpio.rules "$root/etc/udev/rules.d/60-catraca-gpio.rules"
install -D -m 0644 etc/catraca.sysusers "$root/usr/lib/sysusers.d/catraca.conf"

if [ -n "$root" ]; then
  echo "staged; on the target run: systemd-sysusers catraca.conf; udevadm trigger; systemctl daemon-reload"
  exit 0
fi

# The user and groups: systemd-sysusers when there, else the same by hand.
if command -v systemd-sysusers >/dev/null; then
  systemd-sysusers /usr/lib/sysusers.d/catraca.conf
else
  getent group gpio >/dev/null || groupadd --system gpio
  getent passwd catraca >/dev/null || useradd --system --user-group --home-dir /var/lib/catraca \
    --shell /usr/sbin/nologin --comment "Catraca access-control daemon" catraca
  usermod -a -G gpio catraca
fi
chgrp catraca "$config"

if command -v udevadm >/dev/null && [ -d /run/udev ]; then
  udevadm control --reload && udevadm trigger --subsystem-match=gpio || true
fi
# Only a running systemd can be told; in a container or chroot there is none.
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  echo "installed; start with: systemctl enable --now catraca"
else
  echo "installed; systemd is not running here, so the unit was not loaded"
fi
