"""7. Registration: newest connection wins, allow-list refusals, pinned addresses, `catraca terminals`."""

from __future__ import annotations

import pytest

from terminal_client import Terminal, record, sendlog


def test_newest_connection_for_a_serial_number_wins_and_the_older_is_closed(daemon):
    older = Terminal(daemon.url)
    newer = Terminal(daemon.url)
    try:
        assert older.register("TWIN1")["result"] is True
        assert newer.register("TWIN1")["result"] is True

        code = older.closed_code(timeout=5)
        ack = newer.request(sendlog("TWIN1", [record(1, "2024-07-01 00:00:00")], logindex=1))
    finally:
        older.close()
        newer.close()

    assert code == 4000
    assert ack["result"] is True


def test_serial_number_not_on_the_allow_list_is_refused_with_a_reason(make_daemon):
    daemon = make_daemon({"terminals": {"allowList": {"LISTED1": {}}}})

    with Terminal(daemon.url) as stranger, Terminal(daemon.url) as listed:
        refused = stranger.register("STRANGER1")
        records_refused = stranger.request(sendlog("STRANGER1", [record(1, "2024-07-01 00:00:00")], logindex=1))
        accepted = listed.register("LISTED1")

    assert refused["ret"] == "reg" and refused["result"] is False
    assert isinstance(refused["reason"], str) and refused["reason"]
    assert records_refused["result"] is False and records_refused["reason"]
    assert accepted["result"] is True
    assert daemon.export_records() == []
    assert [row["sn"] for row in daemon.terminal_rows()] == ["LISTED1"]


def test_pinned_address_refuses_the_same_serial_number_from_another_address(make_daemon):
    daemon = make_daemon({"terminals": {"allowList": {"PINNED1": {"address": "127.0.0.1"}}}})

    with Terminal(daemon.url, source_address="127.0.0.2") as impostor:
        refused = impostor.register("PINNED1")
    with Terminal(daemon.url, source_address="127.0.0.1") as genuine:
        accepted = genuine.register("PINNED1")

    assert refused["result"] is False and refused["reason"]
    assert accepted["result"] is True
    [row] = daemon.terminal_rows()
    assert (row["sn"], row["address"]) == ("PINNED1", "127.0.0.1")


def test_catraca_terminals_lists_the_terminal_with_its_devinfo_model(daemon):
    with Terminal(daemon.url) as terminal:
        assert terminal.register("LISTME1")["result"] is True
        table = daemon.terminals("table")
        rows = daemon.terminal_rows()
        jsonl = daemon.terminals("jsonl")

    assert table.splitlines()[0].split() == ["SN", "ADDRESS", "MODEL", "FIRMWARE", "FIRST_SEEN", "LAST_SEEN"]
    assert "LISTME1" in table and "AiFace" in table
    assert [(row["sn"], row["address"], row["model"], row["firmware"]) for row in rows] == [
        ("LISTME1", "127.0.0.1", "AiFace", "ai-1.2.3")]
    assert '"modelname":"AiFace"' in jsonl.replace(" ", "")


def test_records_naming_a_pinned_serial_number_from_another_address_are_refused(make_daemon):
    daemon = make_daemon({"terminals": {"allowList": {"LISTED1": {}, "PINNED1": {"address": "127.0.0.2"}}}})

    with Terminal(daemon.url) as terminal:
        assert terminal.register("LISTED1")["result"] is True
        refused = terminal.request(sendlog("PINNED1", [record(1, "2024-07-01 00:00:00")], logindex=1))

    assert refused["result"] is False and refused["reason"]
    assert daemon.export_records() == []


def test_records_whose_own_sn_the_connection_may_not_speak_for_are_not_stored_under_it(make_daemon):
    daemon = make_daemon({"terminals": {"allowList": {"LISTED1": {}, "PINNED1": {"address": "127.0.0.2"}}}})
    records = [record(1, "2024-07-01 00:00:00", sn="PINNED1"), record(2, "2024-07-01 00:00:00", sn="STRANGER1")]

    with Terminal(daemon.url) as terminal:
        assert terminal.register("LISTED1")["result"] is True
        terminal.request(sendlog("LISTED1", records, logindex=1))

    stored_under = {row["sn"] for row in daemon.export_records()}
    assert not stored_under & {"PINNED1", "STRANGER1"}, f"records stored under {sorted(stored_under)}"


def test_refused_impostor_does_not_displace_the_pinned_terminal(make_daemon):
    daemon = make_daemon({"terminals": {"allowList": {"PINNED1": {"address": "127.0.0.1"}}}})

    with Terminal(daemon.url, source_address="127.0.0.1") as genuine:
        assert genuine.register("PINNED1")["result"] is True
        with Terminal(daemon.url, source_address="127.0.0.2") as impostor:
            assert impostor.register("PINNED1")["result"] is False
        ack = genuine.request(sendlog("PINNED1", [record(1, "2024-07-01 00:00:00")], logindex=1))

    assert ack["result"] is True
