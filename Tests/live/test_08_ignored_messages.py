"""8. Messages the daemon cannot use get no reply, and the connection stays usable."""

from __future__ import annotations

import pytest

from terminal_client import Terminal, record, sendlog

IGNORED = {
    "malformed JSON": '{"cmd":"reg","sn":',
    "not JSON at all": "hello terminal",
    "an array": '[{"cmd":"reg","sn":"JUNK1"}]',
    "a string": '"reg"',
    "a number": "42",
    "missing cmd": '{"sn":"JUNK1","count":1}',
    "cmd not a string": '{"cmd":7,"sn":"JUNK1"}',
    "unknown cmd": '{"cmd":"bogus","sn":"JUNK1"}',
    "stray ret": '{"ret":"getuserlist","result":true,"count":0}',
    "empty text": "",
}


@pytest.mark.parametrize("text", IGNORED.values(), ids=IGNORED.keys())
def test_unusable_message_gets_no_reply_and_a_following_reg_works(daemon, text):
    with Terminal(daemon.url) as terminal:
        terminal.send_text(text)
        terminal.assert_silent(0.3)
        reply = terminal.register("JUNK1")
        ack = terminal.request(sendlog("JUNK1", [record(1, "2024-08-01 00:00:00")], logindex=1))

    assert reply["ret"] == "reg" and reply["result"] is True
    assert ack["ret"] == "sendlog" and ack["result"] is True


def test_all_of_them_in_a_row_after_registration_leave_acks_in_order(daemon):
    with Terminal(daemon.url) as terminal:
        assert terminal.register("JUNK2")["result"] is True
        for text in IGNORED.values():
            terminal.send_text(text)
        terminal.send_json(sendlog("JUNK2", [record(1, "2024-08-01 00:00:00")], logindex=5))
        first = terminal.receive_json()
        terminal.assert_silent(0.3)

    assert (first["ret"], first["result"], first["logindex"]) == ("sendlog", True, 5)
