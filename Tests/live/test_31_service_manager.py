"""systemd's notify protocol: the test plays the service manager with a unix datagram socket of its own."""

from __future__ import annotations

import socket
import time
from pathlib import Path


class NotifySocket:
    """The socket systemd would hand over in $NOTIFY_SOCKET; collects the datagrams the daemon sends."""

    def __init__(self, path: Path):
        self.path = path
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(str(path))
        self.messages: list[dict[str, str]] = []

    def close(self) -> None:
        self.socket.close()

    def wait_for(self, key: str, timeout: float = 10.0) -> dict[str, str]:
        """The first message (already received or arriving within `timeout`) that sets `key`."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages:
                if key in message:
                    return message
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {key} within {timeout} s; got {self.messages}"
            self.socket.settimeout(remaining)
            try:
                data = self.socket.recv(4096)
            except socket.timeout:
                continue
            self.messages.append(dict(line.split("=", 1) for line in data.decode().split("\n") if "=" in line))

    def collect(self, seconds: float) -> None:
        """Receives whatever arrives for `seconds`."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            self.socket.settimeout(remaining)
            try:
                data = self.socket.recv(4096)
            except socket.timeout:
                break
            self.messages.append(dict(line.split("=", 1) for line in data.decode().split("\n") if "=" in line))

    def count(self, key: str) -> int:
        return sum(1 for message in self.messages if key in message)


def test_ready_watchdog_reloading_and_stopping_reach_the_service_manager(make_daemon, tmp_path):
    notify = NotifySocket(tmp_path / "notify.sock")
    try:
        daemon = make_daemon(env={"NOTIFY_SOCKET": str(notify.path), "WATCHDOG_USEC": "200000"})

        ready = notify.wait_for("READY")
        assert ready["READY"] == "1"
        assert f"127.0.0.1:{daemon.port}" in ready["STATUS"], ready
        assert "store open" in daemon.log(), "READY=1 only once the store is open"

        first = notify.wait_for("WATCHDOG")
        notify.collect(0.6)
        assert notify.count("WATCHDOG") >= 4, "a ping every 100 ms (half of WATCHDOG_USEC)"
        assert first["STATUS"].endswith("terminals connected"), first
        assert "systemd watchdog armed ping_ms=100" in daemon.log()

        daemon.process.send_signal(1)  # SIGHUP
        assert notify.wait_for("RELOADING")["MONOTONIC_USEC"].isdigit()

        assert daemon.stop() == 0
        stopping = notify.wait_for("STOPPING")
        assert stopping["STOPPING"] == "1"
    finally:
        notify.close()


def test_a_watchdog_meant_for_another_process_is_not_armed(make_daemon, tmp_path):
    notify = NotifySocket(tmp_path / "notify.sock")
    try:
        daemon = make_daemon(env={"NOTIFY_SOCKET": str(notify.path), "WATCHDOG_USEC": "200000",
                                  "WATCHDOG_PID": "1"})
        notify.wait_for("READY")
        assert "watchdog armed" not in daemon.log()
    finally:
        notify.close()


def test_without_a_notify_socket_the_daemon_runs_as_before(daemon):
    assert "watchdog" not in daemon.log()
