#!/bin/bash
# Runs every test: Swift unit tests, the live-socket tests (pytest against the real daemon), the
# Autobahn|Testsuite conformance run, the benchmark in its quick form, and the GPIO test in a VM (the
# daemon on a real kernel GPIO chip, gpio-sim under QEMU: Tests/gpio/run-vm-test.sh). Installs what it
# needs first (scripts/setup.sh --tests; the VM tool installs qemu and builds the gpio-sim module itself, as root,
# on its first run: ~3 minutes more). Each stage has its own time limit; the script stops at the first
# failure. A machine that cannot run the VM fails the gpio stage: it is never skipped.
#
#   scripts/test.sh            everything
#   scripts/test.sh unit       Swift unit tests only (also: live, autobahn, bench, gpio)
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
stages=${*:-unit live autobahn bench gpio}
logs=$(mktemp -d)
passed=0
failed=0

stage() {
  local name=$1 limit=$2; shift 2
  echo "== $name (limit ${limit}s)"
  local start=$SECONDS
  timeout --kill-after=10 "$limit" "$@" 2>&1 | tee "$logs/$name.log"
  local status=${PIPESTATUS[0]}
  echo "== $name: exit $status after $((SECONDS - start))s"
  if [ "$status" -ne 0 ]; then
    [ "$status" -eq 124 ] && echo "== $name timed out after ${limit}s"
    failed=$((failed + 1))
    echo "tests: $passed passed, $failed failed"
    exit 1
  fi
}

count() {  # adds the passes a stage's log reports
  local n
  n=$(grep -Eo "$2" "$logs/$1.log" | grep -Eo '[0-9]+' | tail -n 1)
  passed=$((passed + ${n:-0}))
}

timeout 900 scripts/setup.sh --tests || { echo "tests: 0 passed, 1 failed (setup)"; exit 1; }

for s in $stages; do
  case $s in
    unit)
      stage build 1200 swift build --build-tests
      stage unit 900 swift test --skip-build
      count unit 'Test run with [0-9]+ tests'
      ;;
    live)
      swift build >/dev/null 2>&1 || stage build 1200 swift build
      stage live 900 .venv/bin/python -m pytest -q Tests/live
      count live '[0-9]+ passed'
      ;;
    autobahn)
      swift build >/dev/null 2>&1 || stage build 1200 swift build
      stage autobahn 900 bash Tests/live/run-autobahn.sh
      count autobahn '^[0-9]+ passed'
      ;;
    bench)
      # One release build serves the bench and the gpio stage: static Swift runtime, for the VM's bare initrd.
      # Product by product: the Swift example plugins are dynamic libraries, which cannot take a static runtime.
      stage bench-build 1800 bash -c 'for product in catraca catraca-emulator catraca-bench catraca-gpio-probe; do
          swift build -c release --static-swift-stdlib --scratch-path .build/static --product "$product" || exit 1
        done'
      stage bench 600 .build/static/release/catraca-bench --quick
      ;;
    gpio)
      # First run on a machine: apt installs (qemu, linux-source) and the module build, ~3-4 minutes, plus the
      # release build when the bench stage did not run it; later runs ~1-2 minutes.
      stage gpio 1200 bash Tests/gpio/run-vm-test.sh
      count gpio '[0-9]+ checks passed'
      ;;
    *) echo "unknown stage $s (unit, live, autobahn, bench, gpio)"; exit 2 ;;
  esac
done
echo "tests: $passed passed, $failed failed"
