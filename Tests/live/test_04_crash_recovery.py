"""4. `kill -9` of the daemon in the middle of a load: every record acknowledged before the kill survives."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from daemon_process import record_keys
from load_terminals import TerminalRun, make_batches, push

TERMINALS = 20
RECORDS = 2000
BATCH = 20


async def push_until_killed(daemon, runs: list[TerminalRun], kill_after: float, kill_at_batches: int) -> float:
    """Runs the terminals, and SIGKILLs the daemon after `kill_after` seconds or once `kill_at_batches` batches
    were acknowledged, whichever comes first. Returns the seconds from the start to the kill."""
    began = time.monotonic()

    async def killer() -> float:
        while time.monotonic() - began < kill_after:
            if sum(len(run.acknowledged) for run in runs) >= kill_at_batches:
                break
            await asyncio.sleep(0.01)
        daemon.kill()
        return time.monotonic() - began

    # Four batches in flight per terminal, so that acknowledgements and commits overlap when the kill lands.
    pushes = [push(daemon.url, run, window=4, stop_on_loss=True, ack_timeout=10) for run in runs]
    killed_at, *_ = await asyncio.gather(killer(), *pushes)
    return killed_at


@pytest.mark.slow
def test_records_acknowledged_before_a_kill_9_are_stored_after_restart(make_daemon):
    daemon = make_daemon()
    runs = [TerminalRun(f"KILL{n:04d}", make_batches(RECORDS, BATCH)) for n in range(1, TERMINALS + 1)]
    total_batches = TERMINALS * RECORDS // BATCH

    asyncio.run(push_until_killed(daemon, runs, kill_after=1.0, kill_at_batches=total_batches // 4))

    acknowledged = set().union(*(run.acknowledged_records() for run in runs))
    acked_batches = sum(len(run.acknowledged) for run in runs)
    assert all(run.lost_connection for run in runs), "every terminal should have lost its connection to the kill"
    assert 0 < acked_batches < total_batches, f"the kill did not land mid-load: {acked_batches} of {total_batches}"

    daemon.start()
    exported = record_keys(daemon.export_records())
    missing = acknowledged - set(exported)
    assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged records lost, e.g. {sorted(missing)[:3]}"
    assert len(exported) == len(set(exported)), "records exported twice after the restart"


@pytest.mark.slow
def test_terminals_resume_after_the_restart_and_every_record_is_stored_once(make_daemon):
    daemon = make_daemon()
    runs = [TerminalRun(f"RES{n:04d}", make_batches(RECORDS, BATCH)) for n in range(1, TERMINALS + 1)]
    asyncio.run(push_until_killed(daemon, runs, kill_after=1.0, kill_at_batches=TERMINALS * RECORDS // BATCH // 4))

    daemon.start()
    for run in runs:  # as the firmware does: reconnect and send everything not yet acknowledged
        run.lost_connection = False

    async def resume() -> None:
        await asyncio.gather(*(push(daemon.url, run, window=4) for run in runs))

    asyncio.run(resume())

    exported = record_keys(daemon.export_records())
    duplicates = [key for key, seen in Counter(exported).items() if seen > 1]
    assert not duplicates, f"{len(duplicates)} records stored twice, e.g. {duplicates[:3]}"
    assert len(exported) == TERMINALS * RECORDS
