"""2. What real firmwares send, through real sockets: the daemon acknowledges and stores it."""

from __future__ import annotations

import base64
import json
import sqlite3

from daemon_process import record_keys, run_cli
from terminal_client import DEVINFO, Terminal, record, reg, sendlog

JPEG = base64.b64encode(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4).decode()


def assert_acknowledged(reply: dict, count, logindex) -> None:
    assert reply["ret"] == "sendlog" and reply["result"] is True, reply
    assert reply["count"] == count and reply["logindex"] == logindex, reply


def quarantined_rows(db) -> list[tuple[str, str, str]]:
    """(sn, reason, raw) of the quarantine table, read through SQLite as an operator would."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT sn, reason, raw FROM quarantine ORDER BY id").fetchall()


def test_numbers_sent_as_strings_are_read_and_echoed_as_received(daemon):
    message = ('{"cmd":"sendlog","sn":"STR1","count":"1","logindex":"7","record":[{"enrollid":"42",'
               '"time":"2024-03-01 10:00:00","mode":"8","inout":"1","event":"0","verifymode":"13","temp":"36.6"}]}')

    with Terminal(daemon.url) as terminal:
        assert terminal.register("STR1")["result"] is True
        terminal.send_text(message)
        reply = terminal.receive_json()

    assert_acknowledged(reply, "1", "7")
    [row] = daemon.export_records()
    assert (row["sn"], row["enrollid"], row["time"], row["mode"], row["inout"], row["verifymode"]) == (
        "STR1", "42", "2024-03-01 10:00:00", "8", "1", "13")


def test_trailing_comma_in_record_array_is_accepted(daemon):
    message = ('{"cmd":"sendlog","sn":"COMMA1","count":2,"logindex":1,"record":['
               '{"enrollid":1,"time":"2024-03-01 10:00:00","mode":8,"inout":0,"event":0},'
               '{"enrollid":2,"time":"2024-03-01 10:00:01","mode":8,"inout":0,"event":0},]}')

    with Terminal(daemon.url) as terminal:
        assert terminal.register("COMMA1")["result"] is True
        terminal.send_text(message)
        reply = terminal.receive_json()

    assert_acknowledged(reply, 2, 1)
    assert record_keys(daemon.export_records()) == [
        ("COMMA1", 1, "2024-03-01 10:00:00"), ("COMMA1", 2, "2024-03-01 10:00:01")]


def test_image_with_data_url_prefix_is_stored_as_a_photo(daemon):
    records = [record(5, "2024-03-01 10:00:00", image="data:image/jpeg;base64," + JPEG),
               record(6, "2024-03-01 10:00:01", image=JPEG)]

    with Terminal(daemon.url) as terminal:
        assert terminal.register("PHOTO1")["result"] is True
        assert_acknowledged(terminal.request(sendlog("PHOTO1", records, logindex=3)), 2, 3)

    assert [row["has_photo"] for row in daemon.export_records()] == ["1", "1"]


def test_devinfo_fields_at_the_top_level_of_reg_are_kept(daemon):
    message = {"cmd": "reg", "sn": "FLAT1", **{key: DEVINFO[key] for key in ("modelname", "firmware", "usersize")}}

    with Terminal(daemon.url) as terminal:
        reply = terminal.request(message)

    assert reply["result"] is True
    [row] = daemon.terminal_rows()
    assert (row["sn"], row["model"], row["firmware"]) == ("FLAT1", "AiFace", "ai-1.2.3")


def test_reg_without_devinfo_is_accepted(daemon):
    with Terminal(daemon.url) as terminal:
        reply = terminal.request(reg("BARE1", devinfo=None))
        ack = terminal.request(sendlog("BARE1", [record(1, "2024-03-01 10:00:00")], logindex=1))

    assert reply["ret"] == "reg" and reply["result"] is True
    assert_acknowledged(ack, 1, 1)
    assert [row["sn"] for row in daemon.terminal_rows()] == ["BARE1"]


def test_sendlog_before_reg_is_stored_and_the_terminal_becomes_known(daemon):
    with Terminal(daemon.url) as terminal:
        ack = terminal.request(sendlog("EARLY1", [record(1, "2024-03-01 10:00:00")], logindex=4))
        registered = terminal.register("EARLY1")

    assert_acknowledged(ack, 1, 4)
    assert registered["result"] is True
    assert record_keys(daemon.export_records()) == [("EARLY1", 1, "2024-03-01 10:00:00")]
    assert [row["sn"] for row in daemon.terminal_rows()] == ["EARLY1"]


def test_record_without_sn_belongs_to_the_registered_connection(daemon):
    with Terminal(daemon.url) as terminal:
        assert terminal.register("CONN1")["result"] is True
        ack = terminal.request(sendlog(None, [record(9, "2024-03-01 10:00:00")], logindex=2))

    assert_acknowledged(ack, 1, 2)
    assert record_keys(daemon.export_records()) == [("CONN1", 9, "2024-03-01 10:00:00")]


def test_unparseable_record_is_quarantined_while_its_batch_is_acknowledged(daemon):
    records = [record(1, "2024-03-01 10:00:00"), record(2, "yesterday at noon"), {"time": "2024-03-01 10:00:02"}]

    with Terminal(daemon.url) as terminal:
        assert terminal.register("QUAR1")["result"] is True
        ack = terminal.request(sendlog("QUAR1", records, logindex=11))

    assert_acknowledged(ack, 3, 11)
    assert record_keys(daemon.export_records()) == [("QUAR1", 1, "2024-03-01 10:00:00")]
    quarantined = quarantined_rows(daemon.db)
    assert [(sn, "yesterday" in raw) for sn, _, raw in quarantined] == [("QUAR1", True), ("QUAR1", False)]
    assert "time" in quarantined[0][1] and "enrollid" in quarantined[1][1]


def test_resent_batch_is_acknowledged_again_and_stored_once(daemon):
    batch = sendlog("AGAIN1", [record(i, f"2024-03-01 10:00:0{i}") for i in range(1, 6)], logindex=20)

    with Terminal(daemon.url) as terminal:
        assert terminal.register("AGAIN1")["result"] is True
        first = terminal.request(batch)
    with Terminal(daemon.url) as terminal:  # the ack was "lost": the terminal reconnects and resends
        assert terminal.register("AGAIN1")["result"] is True
        second = terminal.request(batch)
        third = terminal.request(batch)

    for reply in (first, second, third):
        assert_acknowledged(reply, 5, 20)
    keys = record_keys(daemon.export_records())
    assert len(keys) == len(set(keys)) == 5


def test_sendlog_that_is_not_valid_json_is_quarantined_whole_and_acknowledged(daemon):
    # A firmware printing a C NaN writes `nan`, which is not JSON; unanswered, it would resend this forever.
    text = ('{"cmd":"sendlog","sn":"NAN1","count":2,"logindex":41,"record":['
            '{"enrollid":1,"time":"2024-07-01 08:00:00","temp":nan},'
            '{"enrollid":2,"time":"2024-07-01 08:00:01","temp":36.4}]}')
    with Terminal(daemon.url) as terminal:
        assert terminal.register("NAN1")["result"] is True
        terminal.send_text(text)
        reply = terminal.receive_json()
        assert_acknowledged(reply, 2, 41)
        assert terminal.register("NAN1")["result"] is True, "the connection stays usable"

    assert daemon.export_records() == []
    [(sn, reason, raw)] = quarantined_rows(daemon.db)
    assert sn == "NAN1" and reason.startswith("sendlog is not valid JSON") and raw == text

    # Operators see it with the CLI, as received.
    [exported] = [json.loads(line) for line in
                  run_cli("export", "quarantine", "--db", str(daemon.db), "--format", "jsonl").splitlines()]
    assert exported["sn"] == "NAN1" and exported["raw"] == text
