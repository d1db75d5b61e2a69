# The daemon on the gpio-sim chip (busybox sh, sourced by guest.sh after the probe's checks, so `check` and
# `failures` are guest.sh's). Do not `exit`.
#
# `catraca run` reads the chip's lines fire-in and exit-button; terminal VMGATE1 stands on the entry side of
# turnstile `main`. The project's emulator pushes granted records (its record 0: enrollid 1, event 0, a
# verified person), gpio_pulse turns the turnstile, and `catraca export passages` shows what was stored.
# Pulses are 150 ms and the filter takes 100 ms and more (debounce 20 ms), as in the probe's first part: the
# emulated guest's usleep oversleeps by tens of milliseconds when the host is busy.
store=/tmp/catraca
export_csv=/tmp/passages.csv

cat >/tmp/catraca.json5 <<EOF
{
  site: { name: "vm" },
  terminals: { listen: "127.0.0.1:7792" },
  store: { path: "$store/catraca.db" },
  api: { listen: "127.0.0.1:7793" },
  commands: { onRegistration: { setTime: false } },
  turnstiles: {
    main: {
      entry: ["VMGATE1"],
      gpio: { chip: "$GPIOSIM_CHIP", debounceMilliseconds: 20, minPulseMilliseconds: 100 },
    },
  },
  passages: { windowSeconds: 3, rotationGraceSeconds: 0.5, grantMaxAgeSeconds: 0 },
  log: { level: "debug" },
}
EOF

# Writes the passages export to $export_csv and prints how many rows have outcome $1 (all rows without $1).
passages_count() {
    catraca export passages --format csv --db $store/catraca.db >$export_csv 2>/tmp/export.err || {
        echo "FAIL catraca export passages:"; cat /tmp/export.err; return 1
    }
    if [ -z "$1" ]; then
        tail -n +2 $export_csv | grep -c .
    else
        grep -c "^[0-9]*,main,$1," $export_csv
    fi
}

# Waits up to $3 seconds until $2 passages have outcome $1; prints the count it ended with.
wait_for_passages() {
    tries=0
    until [ "$(passages_count $1)" = "$2" ] || [ $tries -ge $(($3 * 10)) ]; do
        tries=$((tries + 1))
        usleep 100000
    done
    passages_count $1
}

echo "== 4. the daemon on $GPIOSIM_CHIP (window 3 s, grace 0.5 s, filter: debounce 20 ms, pulses 100 ms to 3 s)"
catraca run --config /tmp/catraca.json5 2>/tmp/daemon.log &
daemon_pid=$!
tries=0
until grep -q ': ready ' /tmp/daemon.log; do
    tries=$((tries + 1))
    if [ $tries -gt 300 ] || ! kill -0 $daemon_pid 2>/dev/null; then
        echo "FAIL the daemon did not start:"; cat /tmp/daemon.log; failures=$((failures + 1)); break
    fi
    usleep 100000
done
grep -e 'turnstile input' -e ': ready ' /tmp/daemon.log
check "(d) the daemon reads the GPIO chip" 1 \
    "$(grep -c "turnstile input: gpio chip=\(/dev/\)\?$GPIOSIM_CHIP fire-in=0 exit-button=1" /tmp/daemon.log)"
check "(d) no simulated input" 0 "$(grep -c 'turnstile input: simulated' /tmp/daemon.log)"

echo "-- (a) two turns on fire-in with no grant, 600 ms apart; then a 1 ms spike"
gpio_pulse 0 150; usleep 600000; gpio_pulse 0 150
check "(a) unauthorised rotations stored" 2 "$(wait_for_passages unauthorised_rotation 2 10)"
gpio_pulse 0 1
usleep 3000000
check "(a) the spike stored nothing: passages in all" 2 "$(passages_count)"
check "(a) the daemon saw the spike as too short" 1 "$(grep -c 'pulse too short to be a turn' /tmp/daemon.log)"

echo "-- (b) a granted record from the emulator, a turn on fire-in 1 s later"
catraca-emulator --server 127.0.0.1:7792 --sn VMGATE1 --records 1 --timeout 30
usleep 1000000
gpio_pulse 0 150
check "(b) passages turned A" 1 "$(wait_for_passages turned_a 1 10)"
check "(b) the turned-A passage is VMGATE1's entry grant for enrollid 1" 1 \
    "$(grep -c '^[0-9]*,main,turned_a,A,entry,0,record,VMGATE1,1,[0-9]*,2024-01-01 08:00:00,' $export_csv)"

echo "-- (c) a granted record and no turn: not turned once the 3 s window ran out"
catraca-emulator --server 127.0.0.1:7792 --sn VMGATE1 --records 1 --timeout 30 \
    --first-record-time "2024-01-01 09:00:00"
check "(c) passages not turned" 1 "$(wait_for_passages not_turned 1 10)"
check "(c) the not-turned passage is VMGATE1's grant for enrollid 1 at 09:00:00" 1 \
    "$(grep -c '^[0-9]*,main,not_turned,,,0,record,VMGATE1,1,[0-9]*,2024-01-01 09:00:00,' $export_csv)"

kill -TERM $daemon_pid
wait $daemon_pid
check "the daemon stopped cleanly" 0 $?
check "passages in all (2 unauthorised, 1 turned A, 1 not turned)" 4 "$(passages_count)"
echo "-- the passages export:"
cat $export_csv
echo "-- the daemon's turnstile lines:"
grep -e 'turnstiles' -e 'gpio' /tmp/daemon.log | grep -v 'rotation set aside'

echo "== 5. benchmark: the daemon's turnstile path on $GPIOSIM_CHIP, 50 granted turns of 150 ms, 150 ms apart"
: >/tmp/bench.out
catraca-bench --passages --chip "$GPIOSIM_CHIP" --turns 50 --debounce-ms 20 --min-pulse-ms 100 --timeout 120 \
    >/tmp/bench.out 2>/tmp/bench.err &
bench_pid=$!
tries=0
until grep -q '^ready' /tmp/bench.out || [ $tries -gt 300 ]; do tries=$((tries + 1)); usleep 100000; done
n=0
while [ $n -lt 50 ]; do gpio_pulse 0 150; usleep 150000; n=$((n + 1)); done
wait $bench_pid
check "benchmark: every turn a passage turned A" 0 $?
cat /tmp/bench.out /tmp/bench.err

# One rate run through the daemon's path: $1 granted turns on fire-in, each edge $2 ms after the previous, the
# pulse filter off (as the probe's rate runs); the joiner's 10 ms bounce guard stays.
daemon_rate_run() {
    : >/tmp/rate.out
    catraca-bench --passages --chip "$GPIOSIM_CHIP" --turns $1 --debounce-ms 0 --min-pulse-ms 0 --timeout $3 \
        >/tmp/rate.out 2>/tmp/rate.err &
    bench_pid=$!
    tries=0
    until grep -q '^ready' /tmp/rate.out || [ $tries -gt 300 ]; do tries=$((tries + 1)); usleep 100000; done
    read started _ </proc/uptime
    n=0
    while [ $n -lt $1 ]; do
        gpio_level 0 down; usleep $(($2 * 1000)); gpio_level 0 up; usleep $(($2 * 1000))
        n=$((n + 1))
    done
    read ended _ </proc/uptime
    wait $bench_pid
    rate_status=$?
    echo "daemon_rate edge_gap_ms=$2 driven=$1 guest_uptime=$started..$ended"
    cat /tmp/rate.out /tmp/rate.err
    return $rate_status
}

echo "== 6. rate through the daemon's path: 200 granted turns at falling edge gaps of 10 and 5 ms"
daemon_rate_run 200 10 60
check "rate at 10 ms gaps: every turn a passage turned A" 0 $?
daemon_rate_run 200 5 20 || echo "note: turns lost at 5 ms gaps (a figure, not a check)"
