"""Every operator command of issue 3, sent from the `catraca` CLI through the API and the daemon to an emulated
terminal: the terminal-side effect (the emulator's state file) and what the operator sees (CLI output, --json)."""

from __future__ import annotations

import base64
import json
import re
import time
from datetime import datetime

# A JPEG-looking face photo: the emulator accepts a photo that starts with the JPEG start-of-image marker.
FACE_JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8 + b"\xff\xd9"


def wait_for_log(daemon, pattern: str, count: int = 1, timeout: float = 10.0) -> None:
    """Waits until the daemon's log has `count` lines matching `pattern`."""
    deadline = time.monotonic() + timeout
    while len(re.findall(pattern, daemon.log())) < count:
        assert time.monotonic() < deadline, f"fewer than {count} log lines matching {pattern!r} within {timeout} s"
        time.sleep(0.02)


def command_sent(emulator, name: str) -> dict:
    """The last command named `name` the terminal received (as it arrived on the wire)."""
    commands = [entry for entry in emulator.state()["commands"] if entry["command"].get("cmd") == name]
    assert commands, f"the terminal never received {name}"
    return commands[-1]


# Users and credentials


def test_getuserlist_lists_every_credential_the_terminal_holds(command_daemon, emulator):
    body = command_daemon.cli_ok("terminal", "EMU1", "users")

    assert body["command"] == "getuserlist" and body["outcome"] == "replied"
    listed = {(entry["enrollid"], entry["admin"], entry.get("backupnum")) for entry in body["reply"]["record"]}
    held = {(user["enrollid"], user["admin"], 11) for user in emulator.state()["users"] if user["card"]}
    assert listed == held and len(listed) == 5
    assert body["reply"]["count"] == 5

    code, out, err = command_daemon.cli("terminal", "EMU1", "users")
    assert code == 0, err
    assert "5 users" in out and "card" in out


def test_getuserinfo_shows_a_user_and_one_credential(command_daemon, emulator, tmp_path):
    body = command_daemon.cli_ok("terminal", "EMU1", "user", "2")
    user = emulator.user(2)
    assert body["command"] == "getuserinfo"
    assert body["reply"]["enrollid"] == 2
    assert body["reply"]["name"] == user["name"] == "User 0002"
    assert body["reply"]["department"] == user["department"]
    assert command_sent(emulator, "getuserinfo")["command"] == {"cmd": "getuserinfo", "enrollid": 2}

    card = command_daemon.cli_ok("terminal", "EMU1", "user", "2", "--credential", "card")
    assert card["reply"]["backupnum"] == 11 and str(card["reply"]["record"]) == "100002"

    photo = tmp_path / "face.jpg"
    photo.write_bytes(FACE_JPEG)
    assert command_daemon.cli("terminal", "EMU1", "user", "set", "2", "--photo", str(photo))[0] == 0
    out_file = tmp_path / "out.jpg"
    code, out, err = command_daemon.cli("terminal", "EMU1", "user", "2", "--credential", "face", "--out", str(out_file))
    assert code == 0, err
    assert out_file.read_bytes() == FACE_JPEG
    assert command_sent(emulator, "getuserinfo")["command"] == {"cmd": "getuserinfo", "enrollid": 2, "backupnum": 50}


def test_setuserinfo_sets_name_card_password_and_photo(command_daemon, emulator, tmp_path):
    code, out, err = command_daemon.cli("terminal", "EMU1", "user", "set", "7", "--name", "Ana",
                                        "--card", "123456", "--password", "4321", "--department", "Ops")
    assert code == 0, err
    user = emulator.user(7)
    assert user["name"] == "Ana" and user["department"] == "Ops" and user["card"] and user["password"]
    sent = command_sent(emulator, "setuserinfo")["command"]
    assert sent["enrollid"] == 7 and str(sent["card"]) == "123456" and str(sent["pwd"]) == "4321"

    photo = tmp_path / "face.jpg"
    photo.write_bytes(FACE_JPEG)
    body = command_daemon.cli_ok("terminal", "EMU1", "user", "set", "7", "--photo", str(photo))
    assert body["command"] == "setuserinfo" and body["outcome"] == "replied"
    assert emulator.user(7)["face_chars"] == len(base64.b64encode(FACE_JPEG))
    assert emulator.user(7)["name"] == "Ana"


def test_deleteuser_removes_a_whole_user_or_one_credential(command_daemon, emulator):
    code, _, err = command_daemon.cli("terminal", "EMU1", "user", "delete", "3")
    assert code == 0, err
    assert emulator.user(3) is None and emulator.user(2) is not None

    code, _, err = command_daemon.cli("terminal", "EMU1", "user", "delete", "2", "--credential", "card")
    assert code == 0, err
    assert emulator.user(2) is not None and emulator.user(2)["card"] is False
    assert command_sent(emulator, "deleteuser")["command"] == {"cmd": "deleteuser", "enrollid": 2, "backupnum": 11}


def test_getusername_and_setusername(command_daemon, emulator):
    body = command_daemon.cli_ok("terminal", "EMU1", "user", "name", "4")
    assert body["command"] == "getusername" and body["reply"]["record"] == "User 0004"
    code, out, _ = command_daemon.cli("terminal", "EMU1", "user", "name", "4")
    assert code == 0 and "User 0004" in out

    code, _, err = command_daemon.cli("terminal", "EMU1", "user", "rename", "4", "Bia Souza")
    assert code == 0, err
    assert emulator.user(4)["name"] == "Bia Souza"
    sent = command_sent(emulator, "setusername")["command"]
    assert sent == {"cmd": "setusername", "count": 1, "record": [{"enrollid": 4, "name": "Bia Souza"}]}


def test_enableuser_disables_and_enables(command_daemon, emulator):
    assert command_daemon.cli("terminal", "EMU1", "user", "disable", "2")[0] == 0
    assert emulator.user(2)["enable"] == 0
    assert command_sent(emulator, "enableuser")["command"] == {"cmd": "enableuser", "enrollid": 2, "enflag": 0}

    assert command_daemon.cli("terminal", "EMU1", "user", "enable", "2")[0] == 0
    assert emulator.user(2)["enable"] == 1


def test_cleanuser_needs_confirmation_then_removes_every_user(command_daemon, emulator):
    code, _, err = command_daemon.cli("terminal", "EMU1", "users", "clear")
    assert code == 2 and "--yes" in err
    assert len(emulator.state()["users"]) == 5

    code, _, err = command_daemon.cli("terminal", "EMU1", "users", "clear", "--yes")
    assert code == 0, err
    assert emulator.state()["users"] == []


def test_cleanadmin_removes_administrator_rights(command_daemon, emulator):
    assert emulator.user(1)["admin"] == 1

    body = command_daemon.cli_ok("terminal", "EMU1", "clean-admins")

    assert body["command"] == "cleanadmin" and body["outcome"] == "replied"
    assert [user["admin"] for user in emulator.state()["users"]] == [0] * 5


# Records held by the terminal


def test_getnewlog_fetches_new_records_and_stores_them(command_daemon, emulator):
    body = command_daemon.cli_ok("terminal", "EMU1", "logs")

    reply = body["reply"]
    assert body["command"] == "getnewlog" and reply["count"] == 10 and len(reply["record"]) == 10
    assert [entry["time"] for entry in reply["record"]] == [f"2023-12-01 08:00:{i:02d}" for i in range(10)]
    assert all(entry["has_image"] is False and "image" not in entry for entry in reply["record"])
    assert reply["stored"] == {"new": 10, "duplicates": 0, "quarantined": 0}
    assert emulator.state()["logs"] == {"total": 10, "new": 0}

    records = command_daemon.cli_ok("records", "--sn", "EMU1")["records"]
    assert sorted(record["time"] for record in records) == [entry["time"] for entry in reply["record"]]

    code, out, _ = command_daemon.cli("terminal", "EMU1", "logs")
    assert code == 0 and "0 records" in out


def test_getalllog_between_dates(command_daemon, emulator):
    body = command_daemon.cli_ok("terminal", "EMU1", "logs", "--all", "--from", "2023-12-01", "--to", "2023-12-01")
    assert body["command"] == "getalllog" and len(body["reply"]["record"]) == 10
    sent = command_sent(emulator, "getalllog")["command"]
    assert sent["from"] == "2023-12-01" and sent["to"] == "2023-12-01"

    later = command_daemon.cli_ok("terminal", "EMU1", "logs", "--all", "--from", "2023-12-02", "--to", "2024-12-31")
    assert later["reply"]["count"] == 0 and later["reply"]["record"] == []

    # The second listing of the same records stores nothing new.
    again = command_daemon.cli_ok("terminal", "EMU1", "logs", "--all", "--from", "2023-01-01", "--to", "2023-12-31")
    assert again["reply"]["stored"] == {"new": 0, "duplicates": 10, "quarantined": 0}

    # The protocol defines the request with both dates: the CLI fills in a missing one (every record since/until).
    command_daemon.cli_ok("terminal", "EMU1", "logs", "--all", "--from", "2023-12-01")
    assert command_sent(emulator, "getalllog")["command"]["to"] == "2099-12-31"
    sent_before = len(emulator.state()["commands"])
    code, _, err = command_daemon.cli("terminal", "EMU1", "logs", "--all", "--from", "2023-13-01", "--to", "2023-12-31")
    assert code == 2 and "from" in err
    code, _, err = command_daemon.cli("terminal", "EMU1", "logs", "--all", "--from", "2023-12-31", "--to", "2023-12-01")
    assert code == 2 and "from" in err
    assert len(emulator.state()["commands"]) == sent_before


def test_cleanlog_needs_confirmation_then_erases_the_records(command_daemon, emulator):
    assert command_daemon.cli("terminal", "EMU1", "logs", "clear")[0] == 2
    assert emulator.state()["logs"]["total"] == 10

    assert command_daemon.cli("terminal", "EMU1", "logs", "clear", "--yes")[0] == 0
    assert emulator.state()["logs"] == {"total": 0, "new": 0}


# The device


def test_initsys_factory_cleans_the_terminal(command_daemon, emulator):
    assert command_daemon.cli("terminal", "EMU1", "set-info", "--volume", "2")[0] == 0
    assert command_daemon.cli("terminal", "EMU1", "init-system")[0] == 2

    code, _, err = command_daemon.cli("terminal", "EMU1", "init-system", "--yes")

    assert code == 0, err
    state = emulator.state()
    assert state["users"] == [] and state["logs"]["total"] == 0 and state["devinfo"]["volume"] == 5


def test_reboot_expects_no_reply_and_the_terminal_comes_back(command_daemon, emulator):
    body = command_daemon.cli_ok("terminal", "EMU1", "reboot")

    assert body["command"] == "reboot" and body["outcome"] == "sent" and body["reply"] is None
    assert emulator.wait_for_state(lambda state: state["reboots"] == 1)
    wait_for_log(command_daemon, "terminal registered peer=.* sn=EMU1", count=2)
    assert "terminal disconnected" in command_daemon.log()
    command_daemon.wait_until_connected("EMU1")
    assert command_daemon.cli_ok("terminal", "EMU1", "time")["reply"]["time"]


def test_settime_and_sync_time_set_the_terminal_clock(command_daemon, emulator):
    body = command_daemon.cli_ok("terminal", "EMU1", "set-time", "--time", "2030-01-02 03:04:05")
    assert body["command"] == "settime" and body["outcome"] == "replied"
    assert command_sent(emulator, "settime")["command"] == {"cmd": "settime", "cloudtime": "2030-01-02 03:04:05"}
    expected = (datetime(2030, 1, 2, 3, 4, 5) - datetime.now()).total_seconds()
    assert abs(emulator.state()["clock_offset_seconds"] - expected) <= 2

    shown = command_daemon.cli_ok("terminal", "EMU1", "time")["reply"]["time"]
    assert shown.startswith("2030-01-02 03:0")

    assert command_daemon.cli("terminal", "EMU1", "sync-time")[0] == 0
    assert abs(emulator.state()["clock_offset_seconds"]) <= 2

    code, _, err = command_daemon.cli("terminal", "EMU1", "set-time", "--time", "2030-01-02")
    assert code == 2 and "cloudtime" in err


def test_gettime_shows_the_terminal_clock(command_daemon, emulator):
    body = command_daemon.cli_ok("terminal", "EMU1", "time")

    shown = datetime.strptime(body["reply"]["time"], "%Y-%m-%d %H:%M:%S")
    terminal = datetime.strptime(emulator.state()["terminal_time"], "%Y-%m-%d %H:%M:%S")
    assert body["command"] == "gettime" and abs((shown - terminal).total_seconds()) <= 2
    code, out, _ = command_daemon.cli("terminal", "EMU1", "time")
    assert code == 0 and body["reply"]["time"][:10] in out


def test_setdevinfo_and_server_verify(command_daemon, emulator):
    code, _, err = command_daemon.cli("terminal", "EMU1", "set-info", "--volume", "3", "--language", "2",
                                      "--screensaver", "60", "--sleep", "on")
    assert code == 0, err
    devinfo = emulator.state()["devinfo"]
    assert (devinfo["volume"], devinfo["language"], devinfo["screensaver"], devinfo["sleep"]) == (3, 2, 60, 1)

    assert command_daemon.cli("terminal", "EMU1", "server-verify", "on")[0] == 0
    assert emulator.state()["devinfo"]["server_verify"] == 1
    assert command_sent(emulator, "setdevinfo")["command"] == {"cmd": "setdevinfo", "server_verify": 1}
    assert command_daemon.cli("terminal", "EMU1", "server-verify", "off")[0] == 0
    assert emulator.state()["devinfo"]["server_verify"] == 0

    code, _, err = command_daemon.cli("terminal", "EMU1", "set-info", "--volume", "banana")
    assert code == 2 and "volume" in err


def test_getdevinfo_shows_the_terminal_parameters(command_daemon, emulator):
    body = command_daemon.cli_ok("terminal", "EMU1", "info")

    held = emulator.state()["devinfo"]
    assert body["command"] == "getdevinfo"
    for field in ("deviceid", "language", "volume", "screensaver", "verifymode", "sleep", "userfpnum", "loghint"):
        assert body["reply"][field] == held[field], field
    code, out, _ = command_daemon.cli("terminal", "EMU1", "info")
    assert code == 0 and "volume" in out


def test_opendoor_opens_the_door_named(command_daemon, emulator):
    body = command_daemon.cli_ok("terminal", "EMU1", "open-door", "2")
    assert body["command"] == "opendoor" and body["outcome"] == "replied"
    assert command_daemon.cli("terminal", "EMU1", "open-door")[0] == 0

    assert emulator.state()["doors_opened"] == {"1": 1, "2": 1}


# Door lock and user locks


def test_setdevlock_with_day_and_week_zones_then_getdevlock(command_daemon, emulator):
    code, _, err = command_daemon.cli(
        "terminal", "EMU1", "door-lock", "set", "--open-delay", "7", "--multi-open", "2", "--wiegand", "34",
        "--door-sensor", "nc", "--day-zone", "07:00~12:00,13:00~18:00", "--day-zone", "00:00~00:00",
        "--week-zone", "2,1,1,1,1,1,2")
    assert code == 0, err
    devlock = emulator.state()["devlock"]
    assert devlock["opendelay"] == 7 and devlock["multiopen"] == 2 and devlock["wgformat"] == 34
    assert devlock["doorsensor"] == 1
    assert devlock["dayzone"] == [{"day": [{"section": "07:00~12:00"}, {"section": "13:00~18:00"}]},
                                  {"day": [{"section": "00:00~00:00"}]}]
    assert devlock["weekzone"] == [{"week": [{"day": d} for d in (2, 1, 1, 1, 1, 1, 2)]}]
    sent = command_sent(emulator, "setdevlock")["command"]
    assert sent["mutiopen"] == 2 and "multiopen" not in sent and sent["wgformat"] == 1

    reply = command_daemon.cli_ok("terminal", "EMU1", "door-lock")["reply"]
    assert reply["opendelay"] == 7 and reply["multiopen"] == 2 and reply["wgformat"] == 34
    assert reply["dayzone"] == devlock["dayzone"] and reply["weekzone"] == devlock["weekzone"]


def test_setdevlock_rejects_bad_zones_before_sending(command_daemon, emulator):
    sent_before = len(emulator.state()["commands"])
    code, _, err = command_daemon.cli("terminal", "EMU1", "door-lock", "set", "--day-zone", "07:00~25:00")
    assert code == 2 and "section" in err
    nine = ["--day-zone", "07:00~08:00"] * 9
    code, _, err = command_daemon.cli("terminal", "EMU1", "door-lock", "set", *nine)
    assert code == 2 and "dayzone" in err
    code, _, err = command_daemon.cli("terminal", "EMU1", "door-lock", "set", "--day-zone", "07:00~08:00",
                                      "--week-zone", "1,1,1,3,1,1,1")
    assert code == 2 and "weekzone" in err
    assert len(emulator.state()["commands"]) == sent_before


def test_user_locks_set_get_delete_clean(command_daemon, emulator):
    code, _, err = command_daemon.cli("terminal", "EMU1", "user-lock", "set", "2", "--week-zone", "1", "--group", "1",
                                      "--start", "2024-01-01", "--end", "2024-12-31")
    assert code == 0, err
    assert command_daemon.cli("terminal", "EMU1", "user-lock", "set", "3", "--week-zone", "1", "--group", "2")[0] == 0
    locks = emulator.state()["userlocks"]
    assert [(lock["enrollid"], lock["weekzone"], lock["group"]) for lock in locks] == [(2, 1, 1), (3, 1, 2)]
    assert locks[0]["starttime"].startswith("2024-01-01") and locks[0]["endtime"].startswith("2024-12-31")

    reply = command_daemon.cli_ok("terminal", "EMU1", "user-lock", "2")["reply"]
    assert (reply["enrollid"], reply["weekzone"], reply["group"]) == (2, 1, 1)

    assert command_daemon.cli("terminal", "EMU1", "user-lock", "delete", "2")[0] == 0
    assert [lock["enrollid"] for lock in emulator.state()["userlocks"]] == [3]
    code, _, err = command_daemon.cli("terminal", "EMU1", "user-lock", "2")
    assert code == 3, err

    assert command_daemon.cli("terminal", "EMU1", "user-locks", "clear")[0] == 0
    assert emulator.state()["userlocks"] == []


# Questionnaire, enrolment, raw


QUESTIONNAIRE = {
    "title": "Como foi?", "errmsg": "Responda", "radio": False, "optionflag": 0, "usequestion": True,
    "useschedule": False, "card": 0, "items": [f"Opcao {i}" for i in range(1, 21)], "schedules": [],
}


def test_setquestionnaire_then_getquestionnaire_over_pages(command_daemon, make_emulator, tmp_path):
    emulator = make_emulator(command_daemon, users=1, page_size="items=6")
    path = tmp_path / "questionnaire.json"
    path.write_text(json.dumps({**QUESTIONNAIRE, "items": QUESTIONNAIRE["items"][:16]}))

    code, _, err = command_daemon.cli("terminal", "EMU1", "questionnaire", "set", "--file", str(path))
    assert code == 0, err
    held = emulator.state()["questionnaire"]
    assert held["title"] == "Como foi?" and held["items"] == QUESTIONNAIRE["items"][:16] and held["usequestion"]

    reply = command_daemon.cli_ok("terminal", "EMU1", "questionnaire")["reply"]
    assert reply["title"] == "Como foi?" and reply["items"] == QUESTIONNAIRE["items"][:16]
    pages = [entry for entry in emulator.state()["commands"] if entry["command"]["cmd"] == "getquestionnaire"]
    assert len(pages) == 3

    path.write_text(json.dumps(QUESTIONNAIRE))
    code, _, err = command_daemon.cli("terminal", "EMU1", "questionnaire", "set", "--file", str(path))
    assert code == 2 and "items" in err


def test_adduser_busy_reply_and_cancel(command_daemon, make_emulator, tmp_path):
    emulator = make_emulator(command_daemon, users=2, extra_args=["--enrol-seconds", "60"])

    body = command_daemon.cli_ok("terminal", "EMU1", "user", "enrol", "9", "--credential", "face", "--name", "Eva")
    assert body["command"] == "adduser" and body["outcome"] == "replied"
    assert emulator.state()["enrolment"] == {"enrollid": 9, "backupnum": 50, "admin": 0, "name": "Eva"}

    code, out, err = command_daemon.cli("terminal", "EMU1", "user", "enrol", "10", "--credential", "card")
    assert code == 3, (code, out, err)
    assert "busy" in err and "cancel" in err
    code, refused, _ = command_daemon.cli_json("terminal", "EMU1", "user", "enrol", "10", "--credential", "card")
    assert code == 3 and refused["error"]["code"] == "terminal_refused" and refused["error"]["reason"] == 3

    code, _, err = command_daemon.cli("terminal", "EMU1", "user", "enrol-cancel")
    assert code == 0, err
    assert emulator.state()["enrolment"] is None
    assert command_sent(emulator, "adduser")["command"] == {"cmd": "adduser", "cancel": True}


def test_adduser_enrolment_completes_on_the_terminal(command_daemon, make_emulator):
    emulator = make_emulator(command_daemon, users=2, extra_args=["--enrol-seconds", "0.3"])

    assert command_daemon.cli("terminal", "EMU1", "user", "enrol", "9", "--credential", "card", "--admin")[0] == 0

    state = emulator.wait_for_state(lambda state: state["enrolments_completed"] == 1)
    user = next(user for user in state["users"] if user["enrollid"] == 9)
    assert user["card"] and user["admin"] == 1


def test_raw_passthrough_with_and_without_reply(command_daemon, emulator):
    body = command_daemon.cli_ok("terminal", "EMU1", "raw", '{"cmd":"getusername","enrollid":3}')
    assert body["command"] == "getusername" and body["outcome"] == "replied"
    assert body["reply"]["record"] == "User 0003"
    assert command_sent(emulator, "getusername")["command"] == {"cmd": "getusername", "enrollid": 3}

    body = command_daemon.cli_ok("terminal", "EMU1", "raw", '{"cmd":"opendoor","doornum":3}', "--no-reply")
    assert body["outcome"] == "sent"
    emulator.wait_for_state(lambda state: state["doors_opened"] == {"3": 1})

    code, _, err = command_daemon.cli("terminal", "EMU1", "raw", '{"doornum":3}')
    assert code == 2 and "cmd" in err
