"""3. 20 terminals x 500 records with resends and one reconnect each: exactly 10,000 records, no duplicates."""

from __future__ import annotations

import asyncio
import re
import subprocess
from collections import Counter

import pytest

from daemon_process import EMULATOR, record_keys
from load_terminals import push_all

TERMINALS = 20
RECORDS = 500
SUMMARY = re.compile(r"terminals=(\d+) registered=(\d+) records_acknowledged=(\d+) resends=(\d+) reconnects=(\d+)")


def assert_exactly_once(rows: list[dict[str, str]], prefix: str) -> None:
    """Every terminal's 500 records are in the export, each exactly once."""
    keys = record_keys(rows)
    duplicates = [key for key, seen in Counter(keys).items() if seen > 1]
    assert not duplicates, f"{len(duplicates)} records exported more than once, e.g. {duplicates[:3]}"
    assert len(keys) == TERMINALS * RECORDS
    per_terminal = Counter(sn for sn, _, _ in keys)
    assert per_terminal == {f"{prefix}{n:04d}": RECORDS for n in range(1, TERMINALS + 1)}


@pytest.mark.slow
def test_emulator_fleet_with_resends_and_reconnects_stores_every_record_once(daemon):
    result = subprocess.run(
        [str(EMULATOR), "--server", f"127.0.0.1:{daemon.port}", "--terminals", str(TERMINALS), "--sn", "EMU",
         "--records", str(RECORDS), "--batch", "20", "--drop-after", "10", "--resend-every", "4",
         "--ack-timeout", "10", "--timeout", "90"],
        capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, f"emulator exited {result.returncode}:\n{result.stdout}\n{result.stderr[-3000:]}"
    summary = SUMMARY.search(result.stdout)
    assert summary, result.stdout
    terminals, registered, acknowledged, resends, reconnects = map(int, summary.groups())
    assert (terminals, registered, acknowledged) == (TERMINALS, TERMINALS, TERMINALS * RECORDS)
    assert resends > 0 and reconnects >= TERMINALS
    assert_exactly_once(daemon.export_records(), "EMU")


@pytest.mark.slow
def test_python_fleet_with_resends_and_reconnects_stores_every_record_once(daemon):
    runs = asyncio.run(push_all(daemon.url, TERMINALS, RECORDS, prefix="PY", resend_every=4, drop_after=10))

    assert all(run.reconnects == 1 for run in runs), [run.reconnects for run in runs]
    assert sum(run.resends for run in runs) > 0
    assert_exactly_once(daemon.export_records(), "PY")
