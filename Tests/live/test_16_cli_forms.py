"""The command line as operators type it: flags before the command word, `received_at` values copied from an export
into `--received-since`, and exit code 2 for a filter that is no time."""

from __future__ import annotations

import json
import subprocess

from daemon_process import CATRACA, run_cli
from terminal_client import Terminal, record, record_time, sendlog


def test_flags_before_the_command_and_received_at_as_exported(make_daemon, tmp_path):
    daemon = make_daemon()
    with Terminal(daemon.url) as terminal:
        assert terminal.register("FORMS0001")["result"] is True
        reply = terminal.request(sendlog("FORMS0001", [record(n, record_time(n)) for n in range(3)], logindex=1))
        assert reply["result"] is True
    daemon.stop()

    config = tmp_path / "forms.json5"
    config.write_text(json.dumps({"store": {"path": str(daemon.db)}}))
    rows = run_cli("--config", str(config), "export", "records", "--format", "jsonl").splitlines()
    assert len(rows) == 3

    received_at = json.loads(rows[1])["received_at"]
    assert received_at.endswith("Z")
    since = run_cli("export", "records", "--db", str(daemon.db), "--format", "jsonl", "--received-since", received_at)
    assert len(since.splitlines()) >= 1

    bad = subprocess.run([str(CATRACA), "export", "records", "--db", str(daemon.db), "--since", "2024-13-01"],
                         capture_output=True, timeout=30)
    assert bad.returncode == 2 and b"is not a terminal time" in bad.stderr
