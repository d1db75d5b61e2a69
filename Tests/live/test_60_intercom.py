"""Intercom signaling through the daemon: terminals on their port, phones and browsers on the phones' port, as
plain `websockets` clients. Who may ring, answer and watch; what reaches which side; timeouts; calls stored."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time

from intercom_support import (CANDIDATE, SDP_ANSWER, SDP_OFFER, Phone, outbox_kinds, registered_phone,
                              registered_terminal, start_intercom_daemon, wait_for_calls)
from terminal_client import Terminal


def talkcall(terminal, inputmode: int = 3, inputnum: str = "101") -> dict:
    return terminal.request({"cmd": "talkcall", "sn": "T1", "inputnum": inputnum, "inputmode": inputmode,
                             "landscape": 0, "calltype": 0})


def test_two_phones_ring_one_accepts_the_other_is_cancelled_and_the_call_is_relayed_and_stored(make_daemon):
    daemon = start_intercom_daemon(make_daemon)
    ana, bruno = registered_phone(daemon, "1001"), registered_phone(daemon, "1002")
    terminal = registered_terminal(daemon)

    reply = talkcall(terminal)
    assert reply == {"ret": "talkcall", "result": True, "sessionid": "T1", "enrollid": 7, "username": "Ana",
                     "calltype": 0}
    assert ana.receive_json()["cmd"] == "talkring"
    assert bruno.receive_json() == {"cmd": "talkring", "sn": "T1", "msg": "Call from T1", "sessionid": "T1",
                                    "calltype": 0}

    bruno.send_json({"cmd": "callaccept", "sessionid": "T1", "result": True, "calltype": 0})
    assert terminal.receive_json() == {"cmd": "callaccept", "sessionid": "T1", "result": True, "calltype": 0}
    assert ana.receive_json() == {"cmd": "callcancel", "sessionid": "T1", "calltype": 0}

    offer = {"cmd": "offer", "sn": "T1", "sessionid": "T1", "type": "offer", "sdp": SDP_OFFER, "calltype": 0}
    terminal.send_json(offer)
    assert bruno.receive_json() == offer
    answer = {"cmd": "answer", "sessionid": "T1", "type": "answer", "sdp": SDP_ANSWER, "calltype": 0}
    bruno.send_json(answer)
    assert terminal.receive_json() == answer
    for candidate in (CANDIDATE, ""):
        message = {"cmd": "icecandidate", "sessionid": "T1", "candidate": candidate, "calltype": 0}
        bruno.send_json(message)
        assert terminal.receive_json() == message
        terminal.send_json(message)
        assert bruno.receive_json() == message
    bruno.send_json({"cmd": "viewready", "sessionid": "T1", "calltype": 0})
    assert terminal.receive_json()["cmd"] == "viewready"
    ana.assert_silent(0.2)

    bruno.send_json({"cmd": "callcancel", "sessionid": "T1", "calltype": 0})
    assert terminal.receive_json() == {"cmd": "callcancel", "sessionid": "T1", "calltype": 0}
    call = wait_for_calls(daemon, 1)[0]
    assert call["kind"] == "intercom" and call["sn"] == "T1"
    assert call["rang"] == ["1001", "1002"] and call["answered_by"] == "1002"
    assert call["ending"] == "hung_up_by_phone" and call["talk_seconds"] is not None
    assert "call" in outbox_kinds(daemon)
    code, out, err = daemon.cli("calls")
    assert code == 0 and "hung_up_by_phone" in out, err


def test_a_call_nobody_answers_is_cancelled_on_both_sides_after_the_timeout(make_daemon):
    daemon = start_intercom_daemon(make_daemon, ring_timeout=1.0)
    ana, bruno = registered_phone(daemon, "1001"), registered_phone(daemon, "1002")
    terminal = registered_terminal(daemon)

    started = time.monotonic()
    assert talkcall(terminal)["result"] is True
    ana.receive_json()
    bruno.receive_json()

    cancel = {"cmd": "callcancel", "sessionid": "T1", "calltype": 0}
    assert terminal.receive_json(timeout=5) == cancel
    assert 0.9 <= time.monotonic() - started <= 3.0
    assert ana.receive_json() == cancel
    assert bruno.receive_json() == cancel
    assert wait_for_calls(daemon, 1)[0]["ending"] == "unanswered"


def test_a_phone_dropping_mid_call_ends_the_call_for_the_terminal(make_daemon):
    daemon = start_intercom_daemon(make_daemon)
    ana = registered_phone(daemon, "1001")
    terminal = registered_terminal(daemon)
    assert talkcall(terminal, inputmode=2, inputnum="1001")["result"] is True
    ana.receive_json()
    ana.send_json({"cmd": "callaccept", "sessionid": "T1", "result": True})
    assert terminal.receive_json()["cmd"] == "callaccept"

    ana.close()

    assert terminal.receive_json(timeout=5) == {"cmd": "callcancel", "sessionid": "T1", "calltype": 0}
    call = wait_for_calls(daemon, 1)[0]
    assert call["ending"] == "phone_dropped" and call["answered_by"] == "1001"


def test_a_phone_that_has_not_proved_who_it_is_cannot_ring_answer_or_watch(make_daemon):
    daemon = start_intercom_daemon(make_daemon)
    with Phone.connect(daemon) as impostor:
        reply = impostor.phonereg("1001", secret="guessed")
        assert reply["result"] is False and "secret" in reply["reason"]
        assert impostor.closed_code() == 1008

    ana = registered_phone(daemon, "1001")
    terminal = registered_terminal(daemon)
    assert talkcall(terminal, inputmode=2, inputnum="1001")["result"] is True
    ana.receive_json()

    with Phone.connect(daemon) as stranger:
        for message in ({"cmd": "callaccept", "sessionid": "T1", "result": True},
                        {"cmd": "monitorcall", "sn": "T1", "calltype": 0},
                        {"cmd": "answer", "sessionid": "T1", "type": "answer", "sdp": SDP_ANSWER}):
            reply = stranger.request(message)
            assert reply["result"] is False and reply["reason"] == "register with phonereg first"
    with Phone.connect(daemon) as browser:
        assert browser.request({"cmd": "phonereg", "token": "not-the-token"})["result"] is False
    terminal.assert_silent(0.3)


def test_unknown_sessions_and_malformed_sdp_or_candidates_are_refused_and_reach_nobody(make_daemon):
    daemon = start_intercom_daemon(make_daemon)
    ana, bruno = registered_phone(daemon, "1001"), registered_phone(daemon, "1002")
    terminal = registered_terminal(daemon)
    assert talkcall(terminal, inputmode=2, inputnum="1001")["result"] is True
    ana.receive_json()
    ana.send_json({"cmd": "callaccept", "sessionid": "T1", "result": True})
    terminal.receive_json()

    for message in ({"cmd": "answer", "sessionid": "NOPE", "type": "answer", "sdp": SDP_ANSWER},
                    {"cmd": "answer", "sessionid": "T1", "type": "answer", "sdp": "not sdp"},
                    {"cmd": "icecandidate", "sessionid": "T1", "candidate": "{broken"}):
        reply = ana.request(message)
        assert reply["result"] is False, reply
    reply = bruno.request({"cmd": "answer", "sessionid": "T1", "type": "answer", "sdp": SDP_ANSWER})
    assert reply["result"] is False and "no call of yours" in reply["reason"]
    reply = terminal.request({"cmd": "offer", "sessionid": "T1", "type": "offer", "sdp": "garbage"})
    assert reply["ret"] == "offer" and reply["result"] is False
    terminal.assert_silent(0.2)
    ana.assert_silent(0.2)
    assert "phone's intercom message refused" in daemon.log()


def test_signaling_does_not_wait_behind_a_slow_command(make_daemon):
    daemon = start_intercom_daemon(make_daemon)
    ana = registered_phone(daemon, "1001")
    terminal = registered_terminal(daemon)
    slow = threading.Thread(target=daemon.api, args=("POST", "/v1/terminals/T1/commands/gettime", {}), daemon=True)
    slow.start()
    assert terminal.receive_json()["cmd"] == "gettime"

    began = time.monotonic()
    assert talkcall(terminal, inputmode=2, inputnum="1001")["result"] is True
    assert ana.receive_json()["cmd"] == "talkring"
    assert time.monotonic() - began < 1.0
    terminal.send_json({"ret": "gettime", "result": True, "cloudtime": "2024-01-01 00:00:00"})
    slow.join(10)


def test_a_browser_with_the_api_token_watches_a_terminal(make_daemon):
    daemon = start_intercom_daemon(make_daemon)
    terminal = registered_terminal(daemon)
    with Phone.connect(daemon) as browser:
        assert browser.request({"cmd": "phonereg", "token": daemon.token})["result"] is True
        reply = browser.request({"cmd": "monitorcall", "sn": "T1", "calltype": 0})
        assert reply == {"ret": "monitorcall", "result": True, "sessionid": "T1", "calltype": 0}
        assert terminal.receive_json() == {"cmd": "monitorcall", "sessionid": "T1", "calltype": 0}
        browser.send_json({"cmd": "viewready", "sessionid": "T1", "calltype": 0})
        assert terminal.receive_json()["cmd"] == "viewready"
    assert terminal.receive_json(timeout=5)["cmd"] == "callcancel"
    call = wait_for_calls(daemon, 1)[0]
    assert call["kind"] == "monitor" and call["ending"] == "phone_dropped"


def test_enablewebrtc_on_registration_and_from_the_cli_carries_turn_rest_credentials(make_daemon):
    secret = "coturn-shared-secret"
    daemon = start_intercom_daemon(
        make_daemon, stun="stun:127.0.0.1:3478",
        turn={"url": "turn:127.0.0.1:3478", "sharedSecret": secret, "ttlSeconds": 3600},
        enableOnRegistration={"intercom": True, "monitor": True, "inputmode": 3})
    with Phone.connect(daemon) as phone:
        reply = phone.phonereg("1001")
        assert reply["turnusername"].endswith(":1001")
    terminal = Terminal(daemon.url)
    assert terminal.register("T1")["result"] is True

    enable = terminal.receive_json()
    assert enable["cmd"] == "enablewebrtc" and enable["inputmode"] == 3 and enable["intercom"] is True
    expiry, name = enable["turnusername"].split(":")
    assert name == "T1" and 3500 <= int(expiry) - time.time() <= 3700
    expected = base64.b64encode(hmac.new(secret.encode(), enable["turnusername"].encode(), hashlib.sha1).digest())
    assert enable["turnpassword"] == expected.decode()
    assert enable["stunserver"] == "stun:127.0.0.1:3478"
    terminal.send_json({"ret": "enablewebrtc", "result": True, "sn": "T1"})

    result: dict = {}
    cli = threading.Thread(target=lambda: result.update(
        zip(("code", "out", "err"), daemon.cli("terminal", "T1", "intercom", "enable", "--inputmode", "phone",
                                               "--monitor", "off"))))
    cli.start()
    enable = terminal.receive_json()
    assert enable["inputmode"] == 2 and enable["monitor"] is False and enable["turnserver"] == "turn:127.0.0.1:3478"
    terminal.send_json({"ret": "enablewebrtc", "result": True, "sn": "T1"})
    cli.join(30)
    assert result["code"] == 0, result
    terminal.close()
