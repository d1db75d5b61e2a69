"""SIGHUP reloads the config file: live settings apply at once, the rest is named as needing a restart, and a
file that no longer reads is refused with the running configuration kept."""

from __future__ import annotations

import json
import signal
import time

from terminal_client import Terminal, record, sendlog


def write(path, settings: dict) -> None:
    path.write_text(json.dumps(settings, indent=2))


def reload_and_wait(daemon, line: str, timeout: float = 10.0) -> str:
    """Sends SIGHUP and returns the first new log line containing `line`."""
    before = len(daemon.log().splitlines())
    daemon.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for text in daemon.log().splitlines()[before:]:
            if line in text:
                return text
        time.sleep(0.02)
    raise AssertionError(f"no '{line}' within {timeout} s after SIGHUP:\n{daemon.log()[-3000:]}")


def test_sighup_applies_the_allow_list_ack_message_and_log_level_and_names_what_needs_a_restart(make_daemon):
    settings = {"terminals": {"allowList": {"HUP00001": {}}, "ackMessage": "before"}, "log": {"level": "info"}}
    daemon = make_daemon(settings, log_level=None)

    with Terminal(daemon.url) as terminal:
        assert terminal.register("HUP00002")["result"] is False
    with Terminal(daemon.url) as kept:
        assert kept.register("HUP00001")["result"] is True
        before = kept.request(sendlog("HUP00001", [record(1, "2024-01-01 00:00:00")], logindex=1))
        assert before.get("message") == "before", before

        settings = {"terminals": {"allowList": {"HUP00002": {}}, "ackMessage": "after"},
                    "log": {"level": "debug"}, "store": {"photoRetentionDays": 7}}
        write(daemon.config, settings)
        line = reload_and_wait(daemon, "configuration reloaded")
        assert "changed=log.level,terminals.allowList,terminals.ackMessage" in line, line
        assert "needs_restart=store.photoRetentionDays" in line, line
        assert kept.closed_code() == 1008, "a terminal no longer on the allow-list is closed at once"

    with Terminal(daemon.url) as terminal:
        assert terminal.register("HUP00002")["result"] is True
        after = terminal.request(sendlog("HUP00002", [record(2, "2024-01-01 00:00:01")], logindex=1))
        assert after.get("message") == "after", after
    assert "debug terminal: records acknowledged" in daemon.log(), "the log level went to debug"


def test_a_config_that_no_longer_reads_is_refused_and_the_running_one_kept(make_daemon):
    daemon = make_daemon({"terminals": {"ackMessage": "kept"}})

    daemon.config.write_text('{"terminals": {"ackMessage": "new",}, "nonsense": 1}')
    line = reload_and_wait(daemon, "configuration not reloaded")
    assert "nonsense" in line, line

    daemon.config.write_text("{ this is not json5")
    line = reload_and_wait(daemon, "configuration not reloaded")
    assert "not valid JSON5" in line, line

    with Terminal(daemon.url) as terminal:
        assert terminal.register("HUP00003")["result"] is True
        reply = terminal.request(sendlog("HUP00003", [record(3, "2024-01-01 00:00:02")], logindex=1))
        assert reply.get("message") == "kept", reply
    assert daemon.is_running()
