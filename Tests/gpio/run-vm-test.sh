#!/bin/bash
# Tests the libgpiod input and the daemon on it against a real kernel GPIO chip: gpio-sim in a throw-away QEMU VM.
#
#   Tests/gpio/run-vm-test.sh
#
# Builds catraca, catraca-emulator, catraca-bench and catraca-gpio-probe (release, static Swift runtime, so they
# run in the VM's bare initrd; in .build/static, apart from the ordinary release build), then runs
# $SHARED/tools/gpiosim/run-in-vm.sh (SHARED defaults to <repo>/../shared) with Tests/gpio/guest.sh. The guest
# pulses both lines through the probe (clean pulses, a spike, contact bounce: exact counts and polarity, and its
# latency and rate figures), then runs the daemon on the chip (Tests/gpio/guest-daemon.sh: unauthorised rotations,
# a spike, a granted passage turned A with the emulator, a grant not turned; checked in the passages export), and
# the passages benchmark on the chip (latency, and two rate runs). Prints "gpio-vm: N checks passed" and exits
# with the guest's status.
# The VM gets GPIO_VM_TIMEOUT seconds (default 900: the first run spends ~3 minutes on apt and the module build,
# cached under /tmp/catraca-gpiosim or $GPIOSIM_WORKDIR; later boots take ~10 s).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${SHARED:-$repo/../shared}
tool=$shared/tools/gpiosim/run-in-vm.sh
[ -f "$tool" ] || { echo "run-vm-test: no gpio-sim VM tool at $tool; set SHARED" >&2; exit 2; }
command -v swift >/dev/null || export PATH="$PATH:/opt/swift/usr/bin"

cd "$repo"
products="catraca catraca-emulator catraca-bench catraca-gpio-probe"
static=(-c release --static-swift-stdlib --scratch-path .build/static)
bin_dir=$(swift build "${static[@]}" --show-bin-path)
build_log=$(mktemp /tmp/catraca-gpio-build.XXXXXX)
for product in $products; do
    echo "run-vm-test: building $product (release, --static-swift-stdlib)"
    swift build "${static[@]}" --product "$product" >"$build_log" 2>&1 || {
        grep -E "error" "$build_log" >&2 || tail -n 20 "$build_log" >&2
        echo "run-vm-test: the build of $product failed (log: $build_log)" >&2
        exit 2
    }
    [ -x "$bin_dir/$product" ] || { echo "run-vm-test: the build left no $bin_dir/$product" >&2; exit 2; }
done
rm -f "$build_log"

output=$(mktemp /tmp/catraca-gpio-vm.XXXXXX)
status=0
timeout "${GPIO_VM_TIMEOUT:-900}" bash "$tool" "$here/guest.sh" "$here/guest-daemon.sh" \
    $(for product in $products; do echo "$bin_dir/$product"; done) | tee "$output" || status=$?
echo "gpio-vm: $(grep -c '^ok ' "$output") checks passed, $(grep -c '^FAIL' "$output") failed (exit $status)"
rm -f "$output"
exit "$status"
