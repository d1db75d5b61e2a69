"""5. RFC 6455 over raw sockets, frames written by hand; meanwhile another terminal keeps getting its acks."""

from __future__ import annotations

import base64
import json
import os
import socket
import time


import pytest

from raw_websocket import (OP_CLOSE, OP_CONTINUATION, OP_PING, OP_PONG, OP_TEXT, RawWebSocket, encode_frame,
                           registered_raw, upgrade_request)
from terminal_client import Bystander, Terminal, assert_daemon_serves, record, reg, sendlog

# A bystander's acknowledgement must come within this, whatever the attack (debug build, 2 shared cores).
PROMPT = 1.0


def test_fragmented_text_with_an_interleaved_ping_is_answered_and_processed(daemon):
    message = json.dumps(reg("FRAG1")).encode()
    third = len(message) // 3

    with Bystander(daemon.url) as bystander, RawWebSocket(daemon.port) as raw:
        raw.handshake()
        raw.send_frame(OP_TEXT, message[:third], fin=False)
        raw.send_frame(OP_PING, b"are you there")
        raw.send_frame(OP_CONTINUATION, message[third:2 * third], fin=False)
        raw.send_frame(OP_CONTINUATION, message[2 * third:], fin=True)

        pong = raw.read_frame(timeout=5)
        reply = raw.read_frame(timeout=5)

    assert (pong.opcode, pong.payload) == (OP_PONG, b"are you there")
    assert reply.opcode == OP_TEXT and json.loads(reply.payload)["result"] is True
    bystander.assert_served(PROMPT)


@pytest.mark.slow
def test_ten_mebibyte_sendlog_with_a_seven_mebibyte_image_is_acknowledged(daemon):
    big_image = base64.b64encode(b"\xff\xd8\xff\xe0" + os.urandom(7 * 1024 * 1024 * 3 // 4)).decode()
    small_image = base64.b64encode(b"\xff\xd8\xff\xe0" + os.urandom(3 * 1024 * 1024 * 3 // 4 - 4096)).decode()
    message = json.dumps(sendlog("HUGE1", [record(1, "2024-05-01 00:00:00", image=big_image),
                                           record(2, "2024-05-01 00:00:01", image=small_image)], logindex=1))
    assert 10 * 1024 * 1024 - 8192 < len(message) <= 10 * 1024 * 1024

    with Bystander(daemon.url) as bystander, Terminal(daemon.url) as terminal:
        assert terminal.register("HUGE1")["result"] is True
        began = time.monotonic()
        ack = terminal.request(json.loads(message), timeout=60)
        took = time.monotonic() - began

    assert ack["ret"] == "sendlog" and ack["result"] is True and ack["logindex"] == 1
    assert [row["has_photo"] for row in daemon.export_records("--sn", "HUGE1")] == ["1", "1"]
    bystander.assert_served(PROMPT)
    print(f"10 MiB sendlog acknowledged in {took:.2f} s")


def send_byte_by_byte(raw: RawWebSocket, data: bytes, pause: float = 0.002) -> None:
    for byte in data:
        raw.sock.sendall(bytes([byte]))
        time.sleep(pause)


def test_byte_by_byte_client_completes_its_handshake_and_registration(daemon):
    frame_text = json.dumps(reg("SLOW1", devinfo=None)).encode()

    with Bystander(daemon.url) as bystander, RawWebSocket(daemon.port) as raw:
        send_byte_by_byte(raw, upgrade_request(daemon.port))
        status, _, _ = raw.read_response()
        assert status == 101
        send_byte_by_byte(raw, encode_frame(OP_TEXT, frame_text))
        reply = raw.read_json()

    assert reply["ret"] == "reg" and reply["result"] is True
    bystander.assert_served(PROMPT)


@pytest.mark.parametrize("case, frame, code", [
    ("invalid UTF-8 text", dict(opcode=OP_TEXT, payload=b'{"cmd":"reg","sn":"\xff\xfe"}'), 1007),
    ("unmasked client frame", dict(opcode=OP_TEXT, payload=b'{"cmd":"reg","sn":"X"}', mask=False), 1002),
    ("reserved opcode 0x3", dict(opcode=0x3, payload=b"x"), 1002),
    ("reserved control opcode 0xB", dict(opcode=0xB, payload=b"x"), 1002),
    ("RSV1 set without an extension", dict(opcode=OP_TEXT, payload=b"{}", rsv=4), 1002),
    ("fragmented ping", dict(opcode=OP_PING, payload=b"x", fin=False), 1002),
    ("continuation with nothing to continue", dict(opcode=OP_CONTINUATION, payload=b"x"), 1002),
])
def test_protocol_violation_is_closed_with_its_code(daemon, case, frame, code):
    with Bystander(daemon.url) as bystander, registered_raw(daemon.port, "BAD1") as raw:
        raw.send_frame(**frame)
        close = raw.read_close(timeout=5)
        eof = raw.wait_for_eof(timeout=5)

    assert close.close_code == code, f"{case}: closed with {close.close_code} {close.payload[2:]!r}"
    assert eof
    bystander.assert_served(PROMPT)
    assert_daemon_serves(daemon)


def test_message_over_max_message_bytes_is_closed_with_1009(make_daemon):
    daemon = make_daemon({"websocket": {"maxMessageBytes": 4096, "bufferBudgetBytes": 1 << 20}})
    big = json.dumps(sendlog("BIG1", [record(1, "2024-05-01 00:00:00", name="x" * 5000)], logindex=1)).encode()

    with Bystander(daemon.url) as bystander, registered_raw(daemon.port, "BIG1") as raw:
        raw.send_frame(OP_TEXT, big[:3000], fin=False)
        raw.send_frame(OP_CONTINUATION, big[3000:], fin=True)
        close = raw.read_close(timeout=5)

    assert close.close_code == 1009
    bystander.assert_served(PROMPT)
    assert daemon.export_records("--sn", "BIG1") == []


@pytest.mark.parametrize("missing, reason", [
    ("Sec-WebSocket-Key", "Sec-WebSocket-Key"),
    ("Upgrade", "Upgrade"),
])
def test_bad_upgrade_gets_http_400_with_a_reason(daemon, missing, reason):
    with Bystander(daemon.url) as bystander, RawWebSocket(daemon.port) as raw:
        raw.send_upgrade(omit=(missing,))
        status, headers, body = raw.read_response()
        eof = raw.wait_for_eof(timeout=5)

    assert status == 400
    assert reason in body.decode(), body
    assert eof
    bystander.assert_served(PROMPT)


@pytest.mark.parametrize("text", [
    "[" * 100_000,
    '{"cmd":"sendlog","sn":"DEEP1","count":1,"logindex":1,"record":' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"cmd":"reg","sn":"DEEP1","devinfo":' + '{"a":' * 100_000 + "1" + "}" * 100_000 + "}",
], ids=["open-arrays", "deep-record", "deep-devinfo"])
def test_deeply_nested_json_is_refused_without_crash_or_stall(daemon, text):
    with Bystander(daemon.url) as bystander, RawWebSocket(daemon.port) as raw:
        raw.handshake()
        raw.send_text(text)
        try:
            frame = raw.read_frame(timeout=1)
        except socket.timeout:
            frame = None
            silent = True
        else:
            silent = False
        if silent:
            raw.send_json(reg("DEEP2"))
            assert raw.read_json()["result"] is True
        elif frame is None or frame.opcode == OP_CLOSE:
            assert frame is None or frame.close_code in (1000, 1003, 1007, 1008, 1009), frame
        else:
            # The connection stayed and must still work. A deep message got no reply that accepts it, except
            # a sendlog: that one is kept whole in quarantine and acknowledged, so a terminal does not resend
            # it forever (none of it becomes a record: see the export below).
            reply = json.loads(frame.payload)
            assert frame.opcode == OP_TEXT, frame
            assert reply.get("result") is not True or reply.get("ret") == "sendlog", reply
            raw.send_json(reg("DEEP2"))
            assert raw.read_json()["result"] is True
        bystander.wait_for_acks(3, timeout=5)
        bystander.assert_served(PROMPT)

    assert_daemon_serves(daemon)
    assert daemon.export_records("--sn", "DEEP1") == []
