"""The per-terminal command queue seen from the CLI: paging, a terminal that never ends a listing, concurrent
operators, offline/unknown/silent/refusing/vanishing terminals, firmware quirks in replies, the fleet verbs."""

from __future__ import annotations

import re
import threading
import time

import pytest

from conftest import commands_config
from scripted_terminal import ScriptedTerminal, reply_to
from terminal_client import record, sendlog


def all_records(daemon, *options: str) -> list[dict]:
    """Every stored record through `catraca records --all --json`."""
    return daemon.cli_ok("records", "--all", "--limit", "1000", *options)["records"]


# Paging


def test_paging_1000_users_and_5000_logs_matches_the_terminal(command_daemon, make_emulator):
    emulator = make_emulator(command_daemon, users=1000, logs=5000)

    users = command_daemon.cli_ok("terminal", "EMU1", "users")["reply"]
    held = emulator.state()["users"]
    assert users["count"] == 1000 and len(held) == 1000
    assert [(entry["enrollid"], entry["admin"], entry["backupnum"]) for entry in users["record"]] == [
        (user["enrollid"], user["admin"], 11) for user in held]
    pages = [entry for entry in emulator.state()["commands"] if entry["command"]["cmd"] == "getuserlist"]
    assert [page["command"]["stn"] for page in pages] == [True] + [False] * 24

    logs = command_daemon.cli_ok("terminal", "EMU1", "logs")["reply"]
    assert logs["count"] == 5000 and len(logs["record"]) == 5000
    assert logs["stored"] == {"new": 5000, "duplicates": 0, "quarantined": 0}
    assert emulator.state()["logs"] == {"total": 5000, "new": 0}
    listed = [(entry["enrollid"], entry["time"]) for entry in logs["record"]]
    assert len(set(listed)) == 5000 and listed[0] == (1, "2023-12-01 08:00:00")

    stored = all_records(command_daemon, "--sn", "EMU1")
    assert sorted((record["enrollid"], record["time"]) for record in stored) == sorted(listed)

    again = command_daemon.cli_ok("terminal", "EMU1", "logs", "--all", "--from", "2023-12-01", "--to", "2023-12-31")
    assert again["reply"]["count"] == 5000
    assert again["reply"]["stored"] == {"new": 0, "duplicates": 5000, "quarantined": 0}
    assert len(all_records(command_daemon, "--sn", "EMU1")) == 5000


def test_listed_records_are_deduplicated_against_pushed_ones(command_daemon):
    pushed = [record(7, f"2024-02-01 10:00:0{i}") for i in range(3)]
    held = pushed + [record(8, "2024-02-01 11:00:00")]

    def answer(terminal, command):
        if command["cmd"] == "getnewlog":
            terminal.send_json(reply_to(command, "PUSHER", count=4, **{"from": 0, "to": 3}, record=held))

    with ScriptedTerminal(command_daemon.url, "PUSHER", answer) as terminal:
        terminal.send_json(sendlog("PUSHER", pushed, logindex=0))
        terminal.wait_for(lambda: any(ack.get("ret") == "sendlog" for ack in terminal.acks))

        body = command_daemon.cli_ok("terminal", "PUSHER", "logs")

    assert body["reply"]["stored"] == {"new": 1, "duplicates": 3, "quarantined": 0}
    assert len(all_records(command_daemon, "--sn", "PUSHER")) == 4


def test_a_terminal_repeating_the_same_page_is_cut_off(make_daemon, make_emulator):
    daemon = make_daemon(commands_config(maxPages=100))
    make_emulator(daemon, users=100, quirks=["endless-paging"])

    code, out, err = daemon.cli("terminal", "EMU1", "users")

    assert code == 6, (code, out, err)
    assert "same page" in err
    code, body, _ = daemon.cli_json("terminal", "EMU1", "users")
    assert code == 6 and body["error"]["code"] == "terminal_protocol_error"
    assert daemon.is_running()
    assert daemon.cli_ok("terminal", "EMU1", "time")["reply"]["time"]


# Concurrency


def test_two_operators_on_one_terminal_each_get_their_own_replies(command_daemon, make_emulator):
    make_emulator(command_daemon, users=40)
    mismatches: list[str] = []

    def operator(enrollids: range) -> None:
        for enrollid in enrollids:
            code, body, err = command_daemon.cli_json("terminal", "EMU1", "user", str(enrollid))
            if code != 0 or body["reply"]["enrollid"] != enrollid or body["reply"]["name"] != f"User {enrollid:04d}":
                mismatches.append(f"getuserinfo {enrollid}: exit {code}, {body or err}")
            code, body, err = command_daemon.cli_json("terminal", "EMU1", "user", "name", str(enrollid))
            if code != 0 or body["reply"]["record"] != f"User {enrollid:04d}":
                mismatches.append(f"getusername {enrollid}: exit {code}, {body or err}")

    threads = [threading.Thread(target=operator, args=(range(first, 41, 3),)) for first in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert mismatches == []


def test_a_late_reply_is_not_taken_for_the_next_command(make_daemon, make_emulator):
    # The late reply comes 0.7 s after the timeout, within the grace (unansweredWaitSeconds) during which the
    # next command of the same name is held back.
    daemon = make_daemon(commands_config(unansweredWaitSeconds=2))
    make_emulator(daemon, users=5, quirks=["slow-reply=1200"])

    code, body, err = daemon.cli_json("terminal", "EMU1", "user", "name", "2", "--timeout", "0.5")
    assert code == 5 and body["error"]["code"] == "terminal_timeout", err

    body = daemon.cli_ok("terminal", "EMU1", "user", "name", "3", "--timeout", "5")
    assert body["reply"]["record"] == "User 0003"
    assert "late reply dropped" in daemon.log()


def test_a_reply_after_the_grace_is_not_taken_for_another_users_command(command_daemon, make_emulator):
    make_emulator(command_daemon, users=5, quirks=["slow-reply=2000"])

    code, _, err = command_daemon.cli_json("terminal", "EMU1", "user", "2", "--timeout", "0.5")
    assert code == 5, err

    code, body, err = command_daemon.cli_json("terminal", "EMU1", "user", "3", "--timeout", "5")
    assert code == 0, err
    assert body["reply"]["enrollid"] == 3


# Distinct failures


def test_offline_and_unknown_terminals_exit_4(command_daemon, make_emulator):
    emulator = make_emulator(command_daemon, users=1)
    emulator.stop()
    command_daemon.wait_until_connected("EMU1", connected=False)

    code, out, err = command_daemon.cli("terminal", "EMU1", "time")
    assert code == 4 and "EMU1" in err and "not connected" in err, (code, out, err)
    code, body, _ = command_daemon.cli_json("terminal", "EMU1", "time")
    assert code == 4 and body["error"]["code"] == "terminal_offline"

    code, out, err = command_daemon.cli("terminal", "NOSUCHSN", "time")
    assert code == 4 and "NOSUCHSN" in err and "never registered" in err, (code, out, err)
    code, body, _ = command_daemon.cli_json("terminal", "NOSUCHSN", "time")
    assert code == 4 and body["error"]["code"] == "terminal_unknown"


def test_a_silent_terminal_times_out_with_exit_5(make_daemon, make_emulator):
    daemon = make_daemon(commands_config(replyTimeoutSeconds=0.5))
    make_emulator(daemon, users=1, quirks=["no-reply"])

    code, out, err = daemon.cli("terminal", "EMU1", "time")
    assert code == 5 and "0.5" in err, (code, out, err)

    code, body, _ = daemon.cli_json("terminal", "EMU1", "user", "1", "--timeout", "0.3")
    assert code == 5 and body["error"]["code"] == "terminal_timeout"
    assert body["error"]["timeout_seconds"] == 0.3


def test_refusals_exit_3_with_the_reason_in_words(command_daemon, emulator, tmp_path):
    not_a_photo = tmp_path / "not-a-face.png"
    not_a_photo.write_bytes(b"GIF89a" + bytes(200))
    code, out, err = command_daemon.cli("terminal", "EMU1", "user", "set", "2", "--photo", str(not_a_photo))
    assert code == 3, (code, out, err)
    assert "no face" in err

    two_faces = tmp_path / "two-faces.jpg"
    two_faces.write_bytes(b"\xff\xd8\xff\xe0catraca-emulator:reason=6" + bytes(100))
    code, body, _ = command_daemon.cli_json("terminal", "EMU1", "user", "set", "2", "--photo", str(two_faces))
    assert code == 3 and body["error"]["code"] == "terminal_refused" and body["error"]["reason"] == 6
    assert "more than one face" in body["error"]["reason_text"]
    assert emulator.user(2)["face_chars"] == 0

    code, out, err = command_daemon.cli("terminal", "EMU1", "user", "name", "99")
    assert code == 3 and "refused" in err, (code, out, err)


def test_a_sendlog_between_a_command_and_its_reply_is_stored_and_acknowledged(command_daemon, make_emulator):
    emulator = make_emulator(command_daemon, users=3, quirks=["sendlog-before-reply"])

    body = command_daemon.cli_ok("terminal", "EMU1", "user", "name", "2")
    assert body["reply"]["record"] == "User 0002"
    state = emulator.wait_for_state(lambda state: state["logs"] == {"total": 1, "new": 0})

    users = command_daemon.cli_ok("terminal", "EMU1", "users")["reply"]
    assert users["count"] == 3
    emulator.wait_for_state(lambda state: state["logs"] == {"total": 2, "new": 0})
    stored = all_records(command_daemon, "--sn", "EMU1")
    assert len(stored) == 2 and all(record["enrollid"] == 1 for record in stored)
    assert state["sn"] == "EMU1"


def test_quirky_replies_reach_the_operator_canonical(command_daemon, make_emulator, tmp_path):
    emulator = make_emulator(command_daemon, users=3, page_size="users=2",
                             quirks=["cmd-replies", "string-numbers", "vendor-spellings"])

    user = command_daemon.cli_ok("terminal", "EMU1", "user", "2")["reply"]
    assert user["department"] == emulator.user(2)["department"] and "departmant" not in user
    assert user["enrollid"] == 2 and isinstance(user["admin"], int) and isinstance(user["enable"], int)

    users = command_daemon.cli_ok("terminal", "EMU1", "users")["reply"]
    assert users["count"] == 3
    assert [entry["enrollid"] for entry in users["record"]] == [1, 2, 3]
    assert all(isinstance(entry["admin"], int) and entry["backupnum"] == 11 for entry in users["record"])

    assert command_daemon.cli("terminal", "EMU1", "user-lock", "set", "2", "--week-zone", "1", "--group", "1")[0] == 0
    lock = command_daemon.cli_ok("terminal", "EMU1", "user-lock", "2")["reply"]
    assert (lock["enrollid"], lock["weekzone"], lock["group"]) == (2, 1, 1)

    path = tmp_path / "questionnaire.json"
    path.write_text('{"title": "T", "items": ["a", "b"], "schedules": ["05:30-07:30*1"]}')
    assert command_daemon.cli("terminal", "EMU1", "questionnaire", "set", "--file", str(path))[0] == 0
    questionnaire = command_daemon.cli_ok("terminal", "EMU1", "questionnaire")["reply"]
    assert questionnaire["title"] == "T" and questionnaire["schedules"] == ["05:30-07:30*1"]
    assert "tittle" not in questionnaire and "Schedules" not in questionnaire

    # A refusal carries `reason` as the terminal sent it (here text, under string-numbers), read from `reson`.
    code, body, _ = command_daemon.cli_json("terminal", "EMU1", "user", "name", "99")
    assert code == 3 and str(body["error"]["reason"]) == "1" and "reson" not in body["error"]
    assert body["error"]["reason_text"]


def test_terminals_sync_time_over_several_terminals(command_daemon, make_emulator):
    emulators = [make_emulator(command_daemon, sn=f"FLEET{i}", users=1) for i in range(3)]
    for emulator in emulators:
        assert command_daemon.cli("terminal", emulator.sn, "set-time", "--time", "2031-01-01 00:00:00")[0] == 0

    body = command_daemon.cli_ok("terminals", "sync-time")

    assert sorted(result["sn"] for result in body["results"]) == ["FLEET0", "FLEET1", "FLEET2"]
    assert all(result["ok"] for result in body["results"])
    for emulator in emulators:
        assert abs(emulator.state()["clock_offset_seconds"]) <= 2, emulator.sn

    refusing = make_emulator(command_daemon, sn="FLEETX", quirks=["refuse-all"])
    code, out, err = command_daemon.cli("terminals", "sync-time")
    assert code == 3, (code, out, err)
    assert "FLEETX" in out + err
    code, body, _ = command_daemon.cli_json("terminals", "sync-time")
    failed = [result for result in body["results"] if not result["ok"]]
    assert [result["sn"] for result in failed] == [refusing.sn]
    assert failed[0]["error"]["code"] == "terminal_refused"


def test_a_terminal_vanishing_while_a_command_waits_exits_4(command_daemon):
    def answer(terminal, command):
        terminal.close()

    with ScriptedTerminal(command_daemon.url, "VANISH", answer):
        code, body, err = command_daemon.cli_json("terminal", "VANISH", "time")

    assert code == 4 and body["error"]["code"] == "terminal_disconnected", (code, body, err)
    code, out, err = command_daemon.cli("terminal", "VANISH", "time")
    assert code == 4
    assert command_daemon.is_running()


# Commands whose reply is not documented, a full queue


def test_undocumented_replies_that_never_come_count_as_sent(command_daemon, make_emulator):
    emulator = make_emulator(command_daemon, users=2, quirks=["silent-undocumented"])

    for verb in (["open-door", "2"], ["clean-admins"], ["set-time", "--time", "2030-01-01 00:00:00"]):
        body = command_daemon.cli_ok("terminal", "EMU1", *verb)
        assert body["outcome"] == "sent" and body["reply"] is None, (verb, body)
        code, out, _ = command_daemon.cli("terminal", "EMU1", *verb)
        assert code == 0 and "sent" in out.lower(), (verb, out)

    state = emulator.state()
    assert state["doors_opened"] == {"2": 2} and state["users"][0]["admin"] == 0
    assert command_daemon.cli_ok("terminal", "EMU1", "user", "name", "2")["reply"]["record"] == "User 0002"


def test_a_full_queue_refuses_at_once(make_daemon, make_emulator):
    daemon = make_daemon(commands_config(maxQueuedPerTerminal=2, replyTimeoutSeconds=2))
    make_emulator(daemon, users=1, quirks=["no-reply"])
    results: list[tuple[int, dict | None]] = []

    def call() -> None:
        results.append(daemon.api("POST", "/v1/terminals/EMU1/commands/gettime", {}))

    threads = [threading.Thread(target=call) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    statuses = sorted(status for status, _ in results)
    assert 429 in statuses and set(statuses) <= {429, 504}, results
    assert all(body["error"]["code"] == "queue_full" for status, body in results if status == 429)
    assert daemon.is_running()


# On registration


def test_on_registration_new_records_are_pulled_and_the_clock_left_alone_unless_synchronised(make_daemon,
                                                                                              make_emulator):
    daemon = make_daemon(commands_config(onRegistration={"setTime": True, "pullNewLogs": True}))
    emulator = make_emulator(daemon, users=2, logs=30)

    deadline = time.monotonic() + 10
    while "new records pulled from terminal" not in daemon.log():
        assert time.monotonic() < deadline, "the new records were not pulled on registration"
        time.sleep(0.02)
    assert len(all_records(daemon, "--sn", "EMU1")) == 30
    assert emulator.state()["logs"] == {"total": 30, "new": 0}
    sent = [entry["command"]["cmd"] for entry in emulator.state()["commands"]]
    log = daemon.log()
    if "terminal clock not set" in log:
        # This box cannot say its clock is synchronised (no timedatectl/NTP here): the log says why, nothing sent.
        assert "settime" not in sent
        assert re.search(r"terminal clock not set: .*sn=EMU1", log)
    else:
        assert sent[0] == "settime" and "terminal clock set" in log
    assert "getnewlog" in sent


def test_a_terminal_vanishing_in_the_middle_of_a_log_listing_gets_an_answer_and_keeps_the_pages_stored(
        command_daemon):
    def answer(terminal, command):
        if command["cmd"] != "getnewlog":
            return
        if command.get("stn") is False:
            terminal.close()  # gone after the first page, while its records are on their way to the store
            return
        page = [{"enrollid": n, "time": f"2024-02-01 08:00:0{n}", "mode": 8, "inout": 0, "event": 0} for n in range(3)]
        terminal.send_json(reply_to(command, "MIDLIST", count=6, **{"from": 0, "to": 2}, record=page))

    with ScriptedTerminal(command_daemon.url, "MIDLIST", answer):
        started = time.monotonic()
        code, body, err = command_daemon.cli_json("terminal", "MIDLIST", "logs", "--timeout", "5")

    assert time.monotonic() - started < 10, "the operator was answered at once, not after the read timeout"
    assert code == 4 and body["error"]["code"] == "terminal_disconnected", (code, body, err)
    records = command_daemon.export_records("--sn", "MIDLIST")
    assert len(records) == 3, "the page that came before the drop is stored"
