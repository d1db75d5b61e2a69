"""A `catraca-emulator --serve` process: one emulated terminal that answers every command, its state read back."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Callable

from daemon_process import EMULATOR, LoggedProcess


class EmulatorProcess(LoggedProcess):
    """One emulated terminal connected to `daemon`, answering commands until stopped.

    The emulator writes its terminal-side state (users, logs, locks, doors opened, received commands...) to a
    JSON state file after every command; `state()` reads it back.
    """

    def __init__(self, daemon, workdir: Path, sn: str = "EMU1", users: int = 0, logs: int = 0,
                 page_size: str | None = None, quirks: list[str] | None = None, extra_args: list[str] | None = None):
        self.daemon = daemon
        self.sn = sn
        self.state_path = workdir / f"emulator-{sn}.json"
        self.log_path = workdir / f"emulator-{sn}.log"
        self.args = [str(EMULATOR), "--server", f"127.0.0.1:{daemon.port}", "--sn", sn, "--records", "0",
                     "--serve", "--users", str(users), "--logs", str(logs), "--state-file", str(self.state_path)]
        if page_size:
            self.args += ["--page-size", page_size]
        if quirks:
            self.args += ["--quirks", ",".join(quirks)]
        self.args += extra_args or []
        self.process: subprocess.Popen | None = None

    def start(self) -> "EmulatorProcess":
        """Starts the emulator and waits until the daemon shows the terminal connected."""
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT)
        self.daemon.wait_until_connected(self.sn)
        return self

    def state(self) -> dict:
        """The terminal-side state as the emulator last wrote it (written atomically)."""
        return json.loads(self.state_path.read_text())

    def wait_for_state(self, condition: Callable[[dict], bool], timeout: float = 10.0) -> dict:
        """Waits until the state file satisfies `condition`; returns that state."""
        deadline = time.monotonic() + timeout
        state = self.state()
        while not condition(state):
            if time.monotonic() > deadline:
                raise AssertionError(f"emulator state never satisfied the condition; last state: {state}")
            time.sleep(0.02)
            state = self.state()
        return state

    def user(self, enrollid: int) -> dict | None:
        return next((user for user in self.state()["users"] if user["enrollid"] == enrollid), None)

    def last_command(self) -> dict:
        """The last command the terminal received, with `received_at` and `outcome`."""
        return self.state()["commands"][-1]

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM; returns the exit status (that of the kill when it did not stop in time)."""
        status = self.terminate(timeout)
        return self.process.returncode if status is None else status
