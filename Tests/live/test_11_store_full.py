"""A disk that fills up: nothing is acknowledged, connections stay up, the log says so once, and the
terminal's resends are stored once space is back. The database lives on a small tmpfs of its own."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from terminal_client import Terminal, record, record_time, sendlog

PHOTO = "data:image/jpeg;base64," + "A" * 40_000


@pytest.fixture
def small_filesystem(tmp_path):
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder, name="filler"):
    """Writes a file until the file system is full; returns its path."""
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    return path


def test_a_full_disk_withholds_acks_keeps_the_connection_and_recovers(make_daemon, small_filesystem):
    daemon = make_daemon(db=small_filesystem / "catraca.db")
    batch = sendlog("FULLDISK1", [record(n, record_time(n), image=PHOTO) for n in range(1, 6)], logindex=1)

    with Terminal(daemon.url) as terminal:
        assert terminal.register("FULLDISK1")["result"] is True
        filler = fill(small_filesystem)

        terminal.send_json(batch)
        terminal.assert_silent(2.0)
        terminal.send_json(batch)
        terminal.assert_silent(2.0)
        assert terminal.register("FULLDISK1")["result"] is True, "the connection must stay up and answer"

        failures = [line for line in daemon.log().splitlines() if "store commit failed" in line]
        assert len(failures) == 1, failures
        assert "full" in failures[0].lower(), failures[0]

        with Terminal(daemon.url) as newcomer:
            assert newcomer.register("NEWCOMER1")["result"] is True, "registering does not wait for the disk"

        filler.unlink()
        ack = terminal.request(batch)
        assert ack["result"] is True and ack["count"] == 5 and ack["logindex"] == 1

    assert "store recovered" in daemon.log()
    rows = daemon.export_records()
    assert sorted(int(row["enrollid"]) for row in rows) == [1, 2, 3, 4, 5]

    # The registration that came while the disk was full is saved once the store takes writes again,
    # although that terminal has gone.
    assert "terminal details not saved yet" in daemon.log()
    deadline = time.monotonic() + 10
    while "NEWCOMER1" not in daemon.terminals() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "NEWCOMER1" in daemon.terminals()
