"""Benchmark: decisions per second and the latency a `sendlog` acknowledgement gains with 0, 1 and 4 plugins.

    swift build && python3 Tests/live/bench_plugins.py [--records 2000] [--terminals 8]

Each round starts a daemon on loopback with N copies of the test plugin `decide_by_enrollid.c` (each allows
enrollids below 1000), then: one terminal sends records one at a time and waits for each acknowledgement
(latency: median and 99th percentile); then `--terminals` terminals do the same at once (throughput: records
decided and acknowledged per second). Every acknowledgement still waits for the store's commit.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from daemon_process import DaemonProcess  # noqa: E402
from terminal_client import Terminal, record, record_time, sendlog  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def build_copies(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        name = f"bench-{index}"
        subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-I", str(REPO / "Plugins" / "include"),
                        f'-DTEST_PLUGIN_NAME="{name}"', "-o", str(folder / f"lib{name}.so"),
                        str(REPO / "Plugins" / "testing" / "decide_by_enrollid.c")], check=True)


def wait_running(daemon: DaemonProcess, count: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        _, body = daemon.api("GET", "/v1/plugins")
        if sum(1 for plugin in body["plugins"] if plugin["state"] == "running") == count:
            return
        time.sleep(0.05)
    raise SystemExit(f"{count} plugins not running: {body}")


def sequential(daemon: DaemonProcess, sn: str, records: int) -> list[float]:
    latencies = []
    with Terminal(daemon.url) as terminal:
        terminal.register(sn)
        for index in range(records):
            started = time.perf_counter()
            ack = terminal.request(sendlog(sn, [record(index % 900, record_time(index))], logindex=index))
            latencies.append(time.perf_counter() - started)
            assert ack["result"] is True and ack["access"] == 1, ack
    return latencies


def concurrent(daemon: DaemonProcess, terminals: int, records: int) -> float:
    per_terminal = records // terminals
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            sequential(daemon, f"BENCHC{index:04d}", per_terminal)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(terminals)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return per_terminal * terminals / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--terminals", type=int, default=8)
    options = parser.parse_args()
    print(f"{'plugins':>7} {'ack p50 ms':>10} {'ack p99 ms':>10} {'sequential/s':>12} {'concurrent/s':>12}")
    for count in (0, 1, 4):
        with tempfile.TemporaryDirectory() as folder:
            workdir = Path(folder)
            build_copies(workdir / "plugins", count)
            config = workdir / "catraca.json5"
            config.write_text(json.dumps({"commands": {"onRegistration": {"setTime": False}}}))
            daemon = DaemonProcess(workdir, config=config, log_level="info",
                                   extra_args=["--plugins-directory", str(workdir / "plugins")]).start()
            try:
                wait_running(daemon, count)
                sequential(daemon, "BENCHWARM", 100)
                latencies = sorted(sequential(daemon, "BENCHSEQ", options.records))
                rate = concurrent(daemon, options.terminals, options.records)
            finally:
                daemon.stop()
            p50 = statistics.median(latencies) * 1000
            p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
            print(f"{count:>7} {p50:>10.2f} {p99:>10.2f} {len(latencies) / sum(latencies):>12.0f} {rate:>12.0f}")


if __name__ == "__main__":
    main()
