"""The four example plugins (Plugins/), as `swift build` builds them, loaded by the daemon and judging through real
sockets: schedule refuses outside a person's windows, visitor-qr accepts a code once, occupancy counts people in
from passages at a simulated turnstile and refuses when full, anti-passback refuses a second entry."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from daemon_process import BIN_DIR
from terminal_client import Terminal, record, record_time, sendlog

ALL_WEEK = {day: ["00:00-24:00"] for day in ("sun", "mon", "tue", "wed", "thu", "fri", "sat")}


def plugin_folder(tmp_path: Path, *products: str) -> Path:
    """A plugins folder holding copies of the example plugins the package built."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    for product in products:
        library = BIN_DIR / f"lib{product}.so"
        assert library.exists(), f"{library} missing: run `swift build` at the top of the repository"
        shutil.copy(library, folder / library.name)
    return folder


def start(make_daemon, folder: Path, settings: dict, order: list[str], **extra):
    config = {"plugins": {"order": order, "settings": settings, "deadlineMilliseconds": 500,
                          "qrcodeResendSeconds": 1},
              "commands": {"onRegistration": {"setTime": False, "pullNewLogs": False}}, **extra}
    daemon = make_daemon(config, extra_args=["--plugins-directory", str(folder)])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        status, body = daemon.api("GET", "/v1/plugins")
        if status == 200 and {p["name"] for p in body["plugins"] if p["state"] == "running"} >= set(order):
            return daemon
        time.sleep(0.05)
    raise AssertionError(f"plugins {order} not running:\n{daemon.log()[-3000:]}")


def test_the_schedule_plugin_refuses_a_person_outside_their_windows_and_allows_one_inside(make_daemon, tmp_path):
    folder = plugin_folder(tmp_path, "schedule")
    settings = {"schedule": {"groups": {"staff": {"enrollids": [1], "windows": ALL_WEEK},
                                        "nobody": {"enrollids": [2], "windows": {}}},
                             "default": "deny"}}
    daemon = start(make_daemon, folder, settings, ["schedule"])

    with Terminal(daemon.url) as terminal:
        assert terminal.register("RATIFY001")["result"] is True
        allowed = terminal.request(sendlog("RATIFY001", [record(1, record_time(1))], logindex=1))
        assert allowed["result"] is True and allowed["access"] == 1, allowed
        refused = terminal.request(sendlog("RATIFY001", [record(2, record_time(2))], logindex=2))
        assert refused["result"] is True and refused["access"] == 0, refused
        assert refused["message"] == "Outside your schedule"
        stranger = terminal.request(sendlog("RATIFY001", [record(99, record_time(3))], logindex=3))
        assert stranger["access"] == 0, stranger
    records = daemon.export_records()
    assert sorted(int(row["enrollid"]) for row in records) == [1, 2, 99], "refused records are stored too"


def test_the_visitor_qr_plugin_accepts_a_code_once_and_refuses_it_afterwards(make_daemon, tmp_path):
    folder = plugin_folder(tmp_path, "visitor-qr")
    code = {"code": "VISIT-42", "name": "Bia", "enrollid": 9042, "from": "2000-01-01 00:00:00",
            "until": "2099-12-31 23:59:59"}
    daemon = start(make_daemon, folder, {"visitor-qr": {"codes": [code]}}, ["visitor-qr"])

    with Terminal(daemon.url) as terminal:
        assert terminal.register("QRGATE001")["result"] is True
        first = terminal.request({"cmd": "sendqrcode", "sn": "QRGATE001", "record": "VISIT-42"})
        assert first["access"] == 1 and first["enrollid"] == 9042 and first["username"] == "Bia", first
        assert "Bia" in first["message"]
        time.sleep(1.2)  # past qrcodeResendSeconds: a new read, not a resend
        second = terminal.request({"cmd": "sendqrcode", "sn": "QRGATE001", "record": "VISIT-42"})
        assert second["access"] == 0 and second["message"] == "Code already used", second
        unknown = terminal.request({"cmd": "sendqrcode", "sn": "QRGATE001", "record": "NOPE"})
        assert unknown["access"] == 0, unknown


def test_occupancy_and_anti_passback_follow_passages_at_the_turnstile(make_daemon, tmp_path):
    folder = plugin_folder(tmp_path, "occupancy", "anti-passback")
    settings = {"occupancy": {"capacity": 1, "entry": ["ENTRY0001"]},
                "anti-passback": {"entry": ["ENTRY0001"], "exit": []}}
    turnstiles = {"main": {"entry": ["ENTRY0001"], "gpio": {"chip": "simulated"}}}
    daemon = start(make_daemon, folder, settings, ["anti-passback", "occupancy"], turnstiles=turnstiles,
                   passages={"windowSeconds": 3, "grantMaxAgeSeconds": 0})  # records carry 2024 times

    with Terminal(daemon.url) as terminal:
        assert terminal.register("ENTRY0001")["result"] is True
        first = terminal.request(sendlog("ENTRY0001", [record(1, record_time(1))], logindex=1))
        assert first["access"] == 1 and first["message"] == "Inside: 0/1", first
        daemon.cli_ok("gpio", "pulse", "fire-in", "--ms", "80")
        wait_for_passages(daemon, 1)

        # Person 1 is inside now: anti-passback refuses a second entry, and the turnstile is full for person 2.
        again = terminal.request(sendlog("ENTRY0001", [record(1, record_time(2))], logindex=2))
        assert again["access"] == 0 and again["message"] == "Already inside", again
        full = terminal.request(sendlog("ENTRY0001", [record(2, record_time(3))], logindex=3))
        assert full["access"] == 0 and full["message"] == "Full (1/1)", full


def wait_for_passages(daemon, count: int, timeout: float = 10.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        passages = daemon.cli_ok("passages")["passages"]
        if len(passages) >= count:
            return passages
        time.sleep(0.1)
    raise AssertionError(f"{count} passages not stored within {timeout} s:\n{daemon.log()[-3000:]}")


def test_a_person_the_rules_refuse_opens_no_window_and_their_turn_is_unauthorised(make_daemon, tmp_path):
    from test_41_grant_age import site_now, stamp
    from test_40_passages import wait_for_passages as passages_stored

    folder = plugin_folder(tmp_path, "schedule")
    settings = {"schedule": {"groups": {"staff": {"enrollids": [1], "windows": ALL_WEEK}}, "default": "deny"}}
    turnstiles = {"main": {"entry": ["RULES0001"], "gpio": {"chip": "simulated"}}}
    daemon = start(make_daemon, folder, settings, ["schedule"], turnstiles=turnstiles,
                   passages={"windowSeconds": 3}, site={"timeZone": "America/Sao_Paulo"})

    with Terminal(daemon.url) as terminal:
        assert terminal.register("RULES0001")["result"] is True
        refused = terminal.request(sendlog("RULES0001", [record(2, stamp(site_now()))], logindex=1))
        assert refused["access"] == 0, refused
        daemon.cli_ok("gpio", "pulse", "fire-in", "--ms", "80")
        [turn] = passages_stored(daemon, 1)
        assert turn["outcome"] == "unauthorised_rotation", turn

        allowed = terminal.request(sendlog("RULES0001", [record(1, stamp(site_now()))], logindex=2))
        assert allowed["access"] == 1, allowed
        daemon.cli_ok("gpio", "pulse", "fire-in", "--ms", "80")
        passages = passages_stored(daemon, 2)
        assert passages[1]["outcome"] == "turned_a" and passages[1]["enrollid"] == 1, passages
