"""Fixtures: each test starts its own daemon on a free loopback port with a database in its temp folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from daemon_process import CATRACA, EMULATOR, DaemonProcess
from emulator_process import EmulatorProcess

# A daemon for the operator-command tests: no settime on registration (the tests set the clock themselves and
# read the terminal's command list), short waits so that timeouts and unanswered commands are quick.
COMMANDS_CONFIG = {
    "commands": {
        "replyTimeoutSeconds": 5,
        "unansweredWaitSeconds": 0.5,
        "onRegistration": {"setTime": False, "pullNewLogs": False},
    },
}


def commands_config(**commands) -> dict:
    """COMMANDS_CONFIG with some `commands` keys changed."""
    return {"commands": {**COMMANDS_CONFIG["commands"], **commands}}


def pytest_sessionstart(session):
    for binary in (CATRACA, EMULATOR):
        if not binary.exists():
            raise pytest.UsageError(
                f"{binary} not found: run `swift build` at the top of the repo, or set CATRACA_BIN_DIR")


def write_config(folder: Path, settings: dict, name: str = "catraca.json5") -> Path:
    """A config file; JSON is JSON5, so the settings are written as JSON."""
    path = folder / name
    path.write_text(json.dumps(settings, indent=2))
    return path


@pytest.fixture
def make_daemon(tmp_path, request):
    """Starts daemons with a given config; every one still running is stopped with SIGTERM at the end and
    must exit 0. A test that failed gets the tail of each daemon's log in its report."""
    daemons: list[DaemonProcess] = []

    def make(config: dict | None = None, extra_args: list[str] | None = None, db: Path | None = None,
             start: bool = True, env: dict[str, str] | None = None, log_level: str | None = "debug") -> DaemonProcess:
        config_path = write_config(tmp_path, config, f"catraca-{len(daemons)}.json5") if config is not None else None
        daemon = DaemonProcess(tmp_path, db=db, config=config_path, extra_args=extra_args, env=env,
                               log_level=log_level)
        daemons.append(daemon)
        return daemon.start() if start else daemon

    yield make

    failures = []
    for daemon in daemons:
        if daemon.is_running():
            status = daemon.stop()
            if status != 0:
                failures.append(f"daemon exited {status} on SIGTERM")
        elif daemon.process and daemon.process.returncode not in (0, -9):
            failures.append(f"daemon died with status {daemon.process.returncode}")
    report = getattr(request.node, "rep_call", None)
    if (report and report.failed) or failures:
        for daemon in daemons:
            print(f"--- {daemon.log_path} (last 60 lines) ---")
            print("\n".join(daemon.log().splitlines()[-60:]))
    assert not failures, failures


@pytest.fixture
def daemon(make_daemon) -> DaemonProcess:
    """A daemon with the default configuration."""
    return make_daemon()


@pytest.fixture
def command_daemon(make_daemon) -> DaemonProcess:
    """A daemon with the API on a free loopback port and COMMANDS_CONFIG."""
    return make_daemon(COMMANDS_CONFIG)


@pytest.fixture
def make_emulator(tmp_path, request):
    """Starts `catraca-emulator --serve` terminals on a daemon; all are stopped at the end, and a failed test
    gets each one's output and last commands in its report."""
    emulators: list[EmulatorProcess] = []

    def make(daemon: DaemonProcess, sn: str = "EMU1", **options) -> EmulatorProcess:
        emulator = EmulatorProcess(daemon, tmp_path, sn=sn, **options)
        emulators.append(emulator)
        return emulator.start()

    yield make

    for emulator in emulators:
        emulator.stop()
    report = getattr(request.node, "rep_call", None)
    if report and report.failed:
        for emulator in emulators:
            print(f"--- emulator {emulator.sn} output ---\n{emulator.log()[-3000:]}")
            if emulator.state_path.exists():
                print(f"--- emulator {emulator.sn} last commands ---")
                for command in emulator.state()["commands"][-10:]:
                    print(json.dumps(command)[:300])


@pytest.fixture
def emulator(command_daemon, make_emulator) -> EmulatorProcess:
    """One emulated terminal EMU1 with 5 users and 10 stored logs, connected to `command_daemon`."""
    return make_emulator(command_daemon, users=5, logs=10)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
