"""9. A config file with an unknown key or a bad value stops `catraca run` with a message naming the key."""

from __future__ import annotations

import subprocess

import pytest

from conftest import write_config
from daemon_process import CATRACA, REPO

CASES = {
    "misspelt websocket key": ({"websocket": {"maxMessageByte": 4096}}, "websocket.maxMessageByte"),
    "unknown section": ({"terminal": {"listen": "127.0.0.1:0"}}, "terminal"),
    "unknown site key": ({"site": {"zone": "UTC"}}, "site.zone"),
    "unknown allow-list entry key": ({"terminals": {"allowList": {"AB1": {"ip": "127.0.0.1"}}}},
                                     "terminals.allowList.AB1.ip"),
    "string for a number": ({"websocket": {"pingIntervalSeconds": "ten"}}, "websocket.pingIntervalSeconds"),
    "fraction for a byte count": ({"websocket": {"maxMessageBytes": 1.5}}, "websocket.maxMessageBytes"),
    "message limit too small": ({"websocket": {"maxMessageBytes": 10}}, "websocket.maxMessageBytes"),
    "negative timeout": ({"websocket": {"handshakeTimeoutSeconds": -1}}, "websocket.handshakeTimeoutSeconds"),
    "dead peer not after ping": ({"websocket": {"pingIntervalSeconds": 30, "deadPeerTimeoutSeconds": 10}},
                                 "websocket.deadPeerTimeoutSeconds"),
    "unknown time zone": ({"site": {"timeZone": "Mars/Olympus_Mons"}}, "site.timeZone"),
    "pinned address not an IP": ({"terminals": {"allowList": {"AB1": {"address": "terminal.local"}}}},
                                 "terminals.allowList.AB1.address"),
    "unknown log level": ({"log": {"level": "loud"}}, "log.level"),
    "negative photo retention": ({"store": {"photoRetentionDays": -3}}, "store.photoRetentionDays"),
}


def run_daemon(tmp_path, config) -> subprocess.CompletedProcess:
    # If the daemon wrongly started, it would listen on a throwaway port until the timeout fails the test.
    return subprocess.run(
        [str(CATRACA), "run", "--config", str(config), "--listen", "127.0.0.1:0", "--db", str(tmp_path / "c.db")],
        capture_output=True, text=True, timeout=10)


@pytest.mark.parametrize("settings, key", CASES.values(), ids=CASES.keys())
def test_bad_config_stops_catraca_run_with_a_message_naming_the_key(tmp_path, settings, key):
    result = run_daemon(tmp_path, write_config(tmp_path, settings))

    assert result.returncode != 0
    assert key in result.stderr, f"stderr does not name {key}: {result.stderr!r}"
    assert "listening" not in result.stderr


def test_config_file_that_is_not_json5_names_the_file(tmp_path):
    path = write_config(tmp_path, {})
    path.write_text("{ websocket: { maxMessageBytes: 4096 ")

    result = run_daemon(tmp_path, path)

    assert result.returncode != 0
    assert str(path) in result.stderr or path.name in result.stderr, result.stderr


def test_the_documented_example_config_is_accepted(make_daemon):
    daemon = make_daemon(extra_args=["--config", str(REPO / "etc" / "catraca.json5")])

    assert daemon.is_running()
