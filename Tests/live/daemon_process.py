"""A `catraca run` process on a loopback port, and the operator commands that read its database."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN_DIR = Path(os.environ.get("CATRACA_BIN_DIR", REPO / ".build" / "debug"))
CATRACA = BIN_DIR / "catraca"
EMULATOR = BIN_DIR / "catraca-emulator"

LISTENING = re.compile(r"listening for terminals listen=127\.0\.0\.1:(\d+)")
API_LISTENING = re.compile(r"listening for operators listen=127\.0\.0\.1:(\d+)")


class LoggedProcess:
    """A child process with its log file: what the daemon and emulator fixtures share."""

    process: subprocess.Popen | None
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def terminate(self, timeout: float) -> int | None:
        """SIGTERM and wait; the exit status, or None when it had to be killed after `timeout` seconds."""
        if not self.is_running():
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None


class DaemonProcess(LoggedProcess):
    """One daemon, started on port 0 so the kernel picks a free port; the real port is read from its log.

    The log (stderr, key=value lines) goes to a file beside the database so a failing test can show it.
    """

    def __init__(self, workdir: Path, db: Path | None = None, config: Path | None = None,
                 extra_args: list[str] | None = None, log_level: str | None = "debug",
                 env: dict[str, str] | None = None, api_listen: str | None = "127.0.0.1:0"):
        """`api_listen` None leaves the operators' API where the config (or its default) puts it;
        `log_level` None leaves the level to the config file."""
        self.workdir = workdir
        self.db = db or workdir / "catraca.db"
        self.config = config
        self.extra_args = extra_args or []
        self.log_level = log_level
        self.env = env
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.api_listen = None if extra_args and "--api-listen" in extra_args else api_listen
        self.api_port: int | None = None
        self.starts = 0
        self.log_path = workdir / "daemon-0.log"

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 15.0) -> "DaemonProcess":
        self.log_path = self.workdir / f"daemon-{self.starts}.log"
        self.starts += 1
        args = [str(CATRACA), "run", "--listen", "127.0.0.1:0", "--db", str(self.db)]
        if self.log_level:
            args += ["--log-level", self.log_level]
        if self.config:
            args += ["--config", str(self.config)]
        if self.api_listen:
            args += ["--api-listen", self.api_listen]
        if "--plugins-directory" not in self.extra_args:
            # A daemon run from .build/debug would load whatever plugins `swift build` put there; tests that want
            # plugins say where theirs are.
            args += ["--plugins-directory", str(self.workdir / "no-plugins")]
        args += self.extra_args
        environment = {**os.environ, **self.env} if self.env else None
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log, cwd=self.workdir,
                                            env=environment)
        self.port = self._wait_for_port(timeout)
        self.api_port = self._wait_for_port(timeout, API_LISTENING) if self.api_listen else None
        self._wait_for_ready(timeout)
        return self

    def wait_for_api_port(self, timeout: float = 10.0) -> int:
        """The operators' API port from the log (start the daemon with `--api-listen 127.0.0.1:0`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = API_LISTENING.search(self.log())
            if match and "store open" in self.log():
                self.api_port = int(match.group(1))
                return self.api_port
            time.sleep(0.02)
        raise RuntimeError(f"catraca run did not log its API port within {timeout} s:\n{self.log()}")

    def api_token(self) -> str:
        """The token the daemon created beside its database (api.tokenFile's default)."""
        return (self.db.parent / "api-token").read_text().strip()

    def _wait_for_ready(self, timeout: float) -> None:
        """The API logs its port before its token is in place: wait for the daemon's `ready` line."""
        deadline = time.monotonic() + timeout
        while "info catraca: ready " not in self.log():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"catraca run did not log `ready` within {timeout} s:\n{self.log()}")
            time.sleep(0.01)

    def _wait_for_port(self, timeout: float, pattern: re.Pattern = LISTENING) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = pattern.search(self.log())
            if match:
                return int(match.group(1))
            if self.process.poll() is not None:
                raise RuntimeError(f"catraca run exited with {self.process.returncode} before listening:\n{self.log()}")
            time.sleep(0.02)
        raise RuntimeError(f"catraca run did not log its port within {timeout} s:\n{self.log()}")

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM, then wait for a clean exit; returns the exit status."""
        status = self.terminate(timeout)
        if status is None:
            raise RuntimeError(f"catraca run did not stop within {timeout} s of SIGTERM:\n{self.log()[-4000:]}")
        return status

    def kill(self) -> None:
        """SIGKILL: the crash a power cut or the OOM killer causes."""
        self.process.kill()
        self.process.wait()

    # The operators' API and the CLI on it.

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def token_path(self) -> Path:
        return self.db.parent / "api-token"

    @property
    def token(self) -> str:
        """The bearer token the daemon wrote beside its database (no `api.token` in the test configs)."""
        return self.token_path.read_text().strip()

    def cli(self, *args: str, timeout: float = 60.0, token: str | None = None) -> tuple[int, str, str]:
        """Runs `catraca ARGS --api URL --token T`; returns (exit code, stdout, stderr)."""
        command = [str(CATRACA), *args, "--api", self.api_url, "--token", token or self.token]
        result = subprocess.run(command, capture_output=True, timeout=timeout, cwd=self.workdir)
        return result.returncode, result.stdout.decode(), result.stderr.decode()

    def cli_json(self, *args: str, timeout: float = 60.0) -> tuple[int, dict | None, str]:
        """`cli` with `--json`: (exit code, the JSON printed or None when nothing was, stderr)."""
        code, out, err = self.cli(*args, "--json", timeout=timeout)
        return code, (json.loads(out) if out.strip() else None), err

    def cli_ok(self, *args: str, timeout: float = 60.0) -> dict:
        """`cli_json` that must exit 0; returns the JSON."""
        code, body, err = self.cli_json(*args, timeout=timeout)
        assert code == 0, f"catraca {' '.join(args)} exited {code}: {err}"
        return body

    def api(self, method: str, path: str, body: bytes | dict | None = None, token: str | None = "",
            timeout: float = 60.0) -> tuple[int, dict | None]:
        """One HTTP call to the API: (status, JSON body or None). `token` "" uses the daemon's, None sends none."""
        connection = http.client.HTTPConnection("127.0.0.1", self.api_port, timeout=timeout)
        headers = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token or self.token}"
        if isinstance(body, dict):
            body = json.dumps(body).encode()
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            return response.status, (json.loads(data) if data.strip() else None)
        finally:
            connection.close()

    def terminal_state(self, sn: str) -> dict | None:
        """GET /v1/terminals/SN, or None when the daemon does not know it."""
        status, body = self.api("GET", f"/v1/terminals/{sn}")
        return body if status == 200 else None

    def wait_until_connected(self, sn: str, connected: bool = True, timeout: float = 10.0) -> dict:
        """Waits until the API shows terminal `sn` connected (or not); returns its listing."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.terminal_state(sn)
            if state and state["connected"] == connected:
                return state
            time.sleep(0.02)
        raise AssertionError(f"terminal {sn} not {'connected' if connected else 'disconnected'} within {timeout} s")

    # Operator commands, run while the daemon runs or after.

    def export_csv_text(self, *options: str) -> str:
        return run_cli("export", "records", "--db", str(self.db), "--format", "csv", *options)

    def export_records(self, *options: str) -> list[dict[str, str]]:
        """`catraca export records --format csv`, as one dict per row."""
        return list(csv.DictReader(io.StringIO(self.export_csv_text(*options), newline="")))

    def export_jsonl(self, *options: str) -> list[dict]:
        text = run_cli("export", "records", "--db", str(self.db), "--format", "jsonl", *options)
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def terminals(self, format: str = "csv") -> str:
        return run_cli("terminals", "--db", str(self.db), "--format", format)

    def terminal_rows(self) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(self.terminals("csv"), newline="")))


def run_cli(*args: str, timeout: float = 60.0) -> str:
    """Runs `catraca ARGS` and returns its standard output; a non-zero exit fails with its stderr."""
    result = subprocess.run([str(CATRACA), *args], capture_output=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"catraca {' '.join(args)} exited {result.returncode}: {result.stderr.decode()}")
    return result.stdout.decode()


def record_keys(rows: list[dict[str, str]]) -> list[tuple[str, int, str]]:
    """(sn, enrollid, time) of each exported row, in export order."""
    return [(row["sn"], int(row["enrollid"]), row["time"]) for row in rows]
