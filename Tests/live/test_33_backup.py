"""`catraca backup` while terminals push records: a consistent, checked copy renamed into place."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess

from daemon_process import CATRACA, run_cli
from load_terminals import TerminalRun, make_batches, push


def test_backup_while_terminals_push_is_a_consistent_copy_with_every_record_acknowledged_before_it(make_daemon,
                                                                                                   tmp_path):
    daemon = make_daemon()
    runs = [TerminalRun(f"BAK{n:04d}", make_batches(3000, 20)) for n in range(1, 6)]
    copy = tmp_path / "backup" / "copy.db"
    copy.parent.mkdir()
    acknowledged_before: set = set()
    outputs: list[str] = []

    def back_up() -> None:
        acknowledged_before.update(*(run.acknowledged_records() for run in runs))
        outputs.append(run_cli("backup", "--db", str(daemon.db), "--to", str(copy)))

    async def push_and_back_up() -> None:
        async def backup_midway() -> None:
            while sum(len(run.acknowledged) for run in runs) < 100:
                await asyncio.sleep(0.01)
            await asyncio.to_thread(back_up)
        await asyncio.gather(backup_midway(), *(push(daemon.url, run, window=2) for run in runs))

    asyncio.run(push_and_back_up())

    assert "integrity check ok" in outputs[0]
    assert sorted(path.name for path in copy.parent.iterdir()) == ["copy.db"], "no temporary files left behind"
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        rows = set(connection.execute("SELECT sn, enrollid, time FROM records"))
        total = len(rows)
    missing = acknowledged_before - rows
    assert not missing, f"{len(missing)} records acknowledged before the backup started are not in the copy"
    assert total < 15000, "the copy was taken while terminals were still pushing"


def test_backup_of_a_missing_database_fails_and_says_which(tmp_path):
    result = subprocess.run([str(CATRACA), "backup", "--db", str(tmp_path / "absent.db"), "--to",
                             str(tmp_path / "copy.db")], capture_output=True, text=True)
    assert result.returncode == 2, "a database that is not there is the operator's to fix, like a bad flag"
    assert "absent.db does not exist" in result.stderr
    assert not (tmp_path / "copy.db").exists()


def test_backup_without_a_destination_is_a_usage_error(tmp_path):
    result = subprocess.run([str(CATRACA), "backup", "--db", str(tmp_path / "c.db")], capture_output=True, text=True)
    assert result.returncode == 2
    assert "--to" in result.stderr
