# Runs inside the gpio-sim VM (busybox sh, sourced by the VM's init; see run-vm-test.sh). Do not `exit`:
# the last command's status is the test's result.
#
# Line 0 is fire-in, line 1 exit-button, idle high. gpio_pulse LINE MS pulls a line low for MS ms;
# gpio_level LINE down|up holds a level (back to back, two calls are well under a millisecond apart).
failures=0

start_probe() {
    out=$1; shift
    : >"$out"
    catraca-gpio-probe --chip "$GPIOSIM_CHIP" "$@" >"$out" 2>"$out.err" &
    probe_pid=$!
    tries=0
    until grep -q '^ready' "$out"; do
        tries=$((tries + 1))
        if [ $tries -gt 200 ] || ! kill -0 $probe_pid 2>/dev/null; then
            echo "FAIL the probe did not start:"; cat "$out.err"; failures=$((failures + 1)); return 1
        fi
        usleep 50000
    done
}

# Lets the last pulse's debounce run out, then stops the probe the way the daemon is stopped.
stop_probe() {
    usleep 500000
    kill -TERM $probe_pid
    wait $probe_pid
}

summary_field() { sed -n "s/^summary.* $1=\([0-9]*\).*/\1/p" "$2"; }

check() {
    if [ "$2" = "$3" ]; then
        echo "ok   $1: $3"
    else
        echo "FAIL $1: expected $2, got $3"; failures=$((failures + 1))
    fi
}

# The emulated guest's usleep oversleeps by up to tens of milliseconds when the host is busy, so this part
# widens the filter (debounce 20 ms, minimum 100 ms) and drives pulses of 150 ms and more, a 1 ms spike.
echo "== 1. pulses, a spike and bounce (filter: debounce 20 ms, pulses 100 ms to 3 s)"
if start_probe /tmp/counts.out --raw --debounce-ms 20 --min-pulse-ms 100; then
    gpio_pulse 0 150; usleep 150000
    gpio_pulse 1 200; usleep 150000
    gpio_pulse 0 300; usleep 150000
    gpio_pulse 1 1;   usleep 150000
    gpio_level 0 down; gpio_level 0 up; gpio_level 0 down; usleep 150000
    gpio_level 0 up; gpio_level 0 down; gpio_level 0 up; usleep 150000
    gpio_pulse 1 150
    stop_probe
    grep -v '^edge' /tmp/counts.out
    check "fire-in pulses (150 ms, 300 ms, 150 ms with bounce at both ends)" 3 \
        "$(grep -c '^line=fire-in' /tmp/counts.out)"
    check "exit-button pulses (200 ms, 150 ms)" 2 "$(grep -c '^line=exit-button' /tmp/counts.out)"
    check "summary agrees on fire-in" 3 "$(summary_field fire-in /tmp/counts.out)"
    check "summary agrees on exit-button" 2 "$(summary_field exit-button /tmp/counts.out)"
    check "spikes (1 ms)" 1 "$(summary_field spikes /tmp/counts.out)"
    # Polarity: active-low means the 300 ms pulse is measured low-to-high, not the idle gap around it.
    check "a fire-in pulse of 300-499 ms" 1 \
        "$(grep -c '^line=fire-in .* width_ms=[34][0-9][0-9]\.' /tmp/counts.out)"
    bounced=$(( $(summary_field bounces /tmp/counts.out) + $(summary_field repeated_edges /tmp/counts.out) ))
    if [ "$bounced" -gt 0 ]; then echo "ok   bounce edges merged: $bounced"; else
        echo "FAIL no bounce edge was seen"; failures=$((failures + 1)); fi
    check "first edge read is a fall (active-low)" "kind=fell" \
        "$(sed -n 's/^edge line=fire-in \(kind=[a-z]*\).*/\1/p' /tmp/counts.out | head -n 1)"
fi

echo "== 2. latency, default filter (debounce 5 ms, pulses 20 ms to 3 s):" \
    "20 pulses of 30 ms on each line, 30 ms apart, with the chip's pull-up requested"
if start_probe /tmp/latency.out --bench --pull-up; then
    n=0
    while [ $n -lt 20 ]; do
        gpio_pulse 0 30; usleep 30000; gpio_pulse 1 30; usleep 30000
        n=$((n + 1))
    done
    stop_probe
    grep -e '^summary' -e '^bench' /tmp/latency.out
    check "fire-in pulses" 20 "$(summary_field fire-in /tmp/latency.out)"
    check "exit-button pulses" 20 "$(summary_field exit-button /tmp/latency.out)"
fi

# One rate run: $1 pulses on fire-in, each edge $2 ms after the previous (0: back to back), filter off.
rate_run() {
    start_probe /tmp/rate.out --bench --debounce-ms 0 --min-pulse-ms 0 || return
    dmesg -c >/dev/null
    read started _ </proc/uptime
    n=0
    while [ $n -lt $1 ]; do
        if [ "$2" -eq 0 ]; then
            gpio_level 0 down; gpio_level 0 up
        else
            gpio_level 0 down; usleep $(($2 * 1000)); gpio_level 0 up; usleep $(($2 * 1000))
        fi
        n=$((n + 1))
    done
    read ended _ </proc/uptime
    stop_probe
    received=$(summary_field fire-in /tmp/rate.out)
    dropped=$(dmesg | grep -c 'FIFO is full')
    rate=$(sed -n 's/^bench rate .*pulses_per_s=\([0-9.]*\).*/\1/p' /tmp/rate.out)
    echo "rate edge_gap_ms=$2 driven=$1 received=$received lost=$(($1 - received)) pulses_per_s=$rate" \
        "kernel_fifo_full_messages=$dropped guest_uptime=$started..$ended"
    grep -e '^summary' -e '^bench edge' /tmp/rate.out
}

echo "== 3. rate: 200 pulses at falling edge gaps of 10, 5, 2, 1 ms, then back to back (x200, x1000)"
for gap in 10 5 2 1; do rate_run 200 $gap; done
rate_run 200 0
rate_run 1000 0

. /opt/guest/guest-daemon.sh

echo "== $failures failure(s)"
[ "$failures" -eq 0 ]
