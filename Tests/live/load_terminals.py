"""Many terminals pushing records at once, written with asyncio `websockets` clients.

Each terminal behaves like the firmware (and like `catraca-emulator`): it registers, sends its records in
`sendlog` batches, treats a batch as delivered only once acknowledged, and after a lost connection
reconnects and sends every unacknowledged batch again. Every acknowledgement is logged as
(sn, logindex, count) so a test can check afterwards that what was acknowledged is stored.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from dataclasses import dataclass, field

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from terminal_client import record, record_time


@dataclass
class Batch:
    logindex: int
    records: list

    def message(self, sn: str) -> str:
        return json.dumps({"cmd": "sendlog", "sn": sn, "count": len(self.records), "logindex": self.logindex,
                           "record": self.records})


@dataclass
class TerminalRun:
    """What one terminal did; `acknowledged` is every (sn, logindex, count) acknowledged, in order."""
    sn: str
    batches: list[Batch]
    acknowledged: list[tuple[str, int, int]] = field(default_factory=list)
    delivered: int = 0  # batches acknowledged at least once, a prefix of `batches`
    resends: int = 0
    reconnects: int = 0
    lost_connection: bool = False

    def acknowledged_records(self) -> set[tuple[str, int, str]]:
        """(sn, enrollid, time) of every record in an acknowledged batch."""
        by_logindex = {batch.logindex: batch for batch in self.batches}
        return {(self.sn, entry["enrollid"], entry["time"])
                for _, logindex, _ in self.acknowledged for entry in by_logindex[logindex].records}


def make_batches(total: int, batch_size: int) -> list[Batch]:
    """Records as the emulator makes them: enrollid i % 1000 + 1, times one second apart; logindex is the
    index of the batch's first record."""
    return [Batch(start, [record(i % 1000 + 1, record_time(i)) for i in range(start, min(start + batch_size, total))])
            for start in range(0, total, batch_size)]


async def push(url: str, run: TerminalRun, resend_every: int | None = None, drop_after: int | None = None,
               window: int = 1, stop_on_loss: bool = False, ack_timeout: float = 30.0) -> TerminalRun:
    """Pushes `run.batches` from `run.delivered` on, with up to `window` batches unacknowledged at a time.

    `resend_every`: every Nth acknowledged batch is sent once more, as after a lost ack. `drop_after`: the
    connection is dropped once after that many acknowledged batches. `stop_on_loss`: a lost connection ends
    the run instead of reconnecting (the daemon was killed).
    """
    acks = 0
    dropped = False
    while run.delivered < len(run.batches):
        try:
            async with connect(url, max_size=None, open_timeout=10) as ws:
                await ws.send(json.dumps({"cmd": "reg", "sn": run.sn}))
                reply = json.loads(await asyncio.wait_for(ws.recv(), ack_timeout))
                assert reply.get("ret") == "reg" and reply.get("result") is True, f"{run.sn}: reg answered {reply}"

                in_flight: deque[tuple[int, bool]] = deque()  # (batch index, is a resend)
                next_to_send = run.delivered
                while run.delivered < len(run.batches):
                    while len(in_flight) < window and next_to_send < len(run.batches):
                        await ws.send(run.batches[next_to_send].message(run.sn))
                        in_flight.append((next_to_send, False))
                        next_to_send += 1

                    ack = json.loads(await asyncio.wait_for(ws.recv(), ack_timeout))
                    index, is_resend = in_flight.popleft()
                    batch = run.batches[index]
                    assert ack.get("ret") == "sendlog" and ack.get("result") is True, f"{run.sn}: {ack}"
                    assert ack.get("logindex") == batch.logindex, f"{run.sn}: ack {ack} for logindex {batch.logindex}"
                    run.acknowledged.append((run.sn, ack["logindex"], ack["count"]))
                    acks += 1
                    if not is_resend:
                        run.delivered = index + 1

                    if resend_every and acks % resend_every == 0 and not is_resend:
                        await ws.send(batch.message(run.sn))
                        in_flight.append((index, True))
                        run.resends += 1
                    if drop_after and not dropped and acks >= drop_after:
                        dropped = True
                        break
        except (ConnectionClosed, OSError, asyncio.TimeoutError):
            if stop_on_loss:
                run.lost_connection = True
                return run
        if run.delivered < len(run.batches):
            run.reconnects += 1
            await asyncio.sleep(0.05)
    return run


async def push_all(url: str, terminals: int, records: int, batch_size: int = 20, prefix: str = "LOAD",
                   **options) -> list[TerminalRun]:
    """`terminals` terminals PREFIX0001… pushing `records` records each, all at once."""
    runs = [TerminalRun(f"{prefix}{n:04d}", make_batches(records, batch_size)) for n in range(1, terminals + 1)]
    await asyncio.gather(*(push(url, run, **options) for run in runs))
    return runs
