#!/bin/bash
# Tests the libgpiod input against a real kernel GPIO chip: gpio-sim in a throw-away QEMU VM.
#
#   Tests/gpio/run-vm-test.sh
#
# Builds catraca-gpio-probe (release, static Swift runtime, so it runs in the VM's bare initrd), then runs
# $SHARED/tools/gpiosim/run-in-vm.sh (SHARED defaults to <repo>/../shared) with Tests/gpio/guest.sh, which
# pulses both lines (clean pulses, a spike, contact bounce), checks the probe's exact pulse counts and
# polarity, and prints the benchmark: edge-to-read and rise-to-delivered latency, and pulse rates.
# Exits with the guest's status. The VM gets GPIO_VM_TIMEOUT seconds (default 900: the first run spends
# ~3 minutes on apt and the module build, cached under /tmp/catraca-gpiosim; later boots take ~10 s).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${SHARED:-$repo/../shared}
tool=$shared/tools/gpiosim/run-in-vm.sh
[ -f "$tool" ] || { echo "run-vm-test: no gpio-sim VM tool at $tool; set SHARED" >&2; exit 2; }
command -v swift >/dev/null || export PATH="$PATH:/opt/swift/usr/bin"

cd "$repo"
echo "run-vm-test: building catraca-gpio-probe (release, --static-swift-stdlib)"
build_log=$(mktemp /tmp/catraca-gpio-build.XXXXXX)
swift build -c release --static-swift-stdlib --product catraca-gpio-probe >"$build_log" 2>&1 || {
    grep -E "error" "$build_log" >&2 || tail -n 20 "$build_log" >&2
    echo "run-vm-test: the build failed (log: $build_log)" >&2
    exit 2
}
rm -f "$build_log"
bin_dir=$(swift build -c release --static-swift-stdlib --show-bin-path)
if [ ! -x "$bin_dir/catraca-gpio-probe" ]; then
    echo "run-vm-test: the build left no $bin_dir/catraca-gpio-probe" >&2
    exit 2
fi

timeout "${GPIO_VM_TIMEOUT:-900}" bash "$tool" "$here/guest.sh" "$bin_dir/catraca-gpio-probe"
