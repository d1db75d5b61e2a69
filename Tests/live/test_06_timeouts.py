"""6. Timeouts with a small config: unfinished upgrades, idle pings, dead peers, unfinished messages."""

from __future__ import annotations

import json
import select
import socket
import time

import pytest

from raw_websocket import OP_CLOSE, OP_PING, OP_PONG, OP_TEXT, RawWebSocket, encode_frame, registered_raw
from terminal_client import Bystander, Terminal, record, reg, sendlog

HANDSHAKE = 1.0
PING = 0.5
DEAD_PEER = 2.0
MESSAGE = 1.5
# How late a timer may fire: the event loop's timers, a debug build, two shared cores.
SLACK = 1.5

CONFIG = {"websocket": {"handshakeTimeoutSeconds": HANDSHAKE, "pingIntervalSeconds": PING,
                        "deadPeerTimeoutSeconds": DEAD_PEER, "messageTimeoutSeconds": MESSAGE}}


@pytest.fixture
def daemon(make_daemon):
    return make_daemon(CONFIG)


@pytest.mark.parametrize("sent", [b"", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"],
                         ids=["nothing", "half-a-request"])
def test_handshake_timeout_closes_an_unfinished_upgrade_and_spares_the_others(daemon, sent):
    with Bystander(daemon.url) as bystander, RawWebSocket(daemon.port) as raw:
        began = time.monotonic()
        raw.sock.sendall(sent)
        closed_at = raw.wait_for_eof(timeout=HANDSHAKE + SLACK + 2)
        answer = raw.buffer

    waited = closed_at - began
    assert HANDSHAKE - 0.1 <= waited <= HANDSHAKE + SLACK, f"closed after {waited:.2f} s"
    assert answer.startswith(b"HTTP/1.1 408"), answer
    bystander.assert_served()


def test_daemon_pings_an_idle_client_and_a_client_answering_pings_stays(daemon):
    with registered_raw(daemon.port, "IDLE1") as raw:
        began = time.monotonic()
        ping = raw.read_frame(timeout=PING + SLACK)
        first_ping_after = time.monotonic() - began
        assert ping is not None and ping.opcode == OP_PING, ping
        raw.send_frame(OP_PONG, ping.payload)

        pings = 1
        while time.monotonic() - began < DEAD_PEER * 2:  # well past the dead-peer timeout
            frame = raw.read_frame(timeout=PING + SLACK)
            assert frame is not None and frame.opcode == OP_PING, frame
            raw.send_frame(OP_PONG, frame.payload)
            pings += 1

        raw.send_json(sendlog("IDLE1", [record(1, "2024-06-01 00:00:00")], logindex=1))
        ack = raw.read_json()

    assert first_ping_after <= PING + SLACK
    assert pings >= 3
    assert ack["result"] is True


def test_websockets_library_client_idle_past_the_dead_peer_timeout_stays_connected(daemon):
    # The client sends no pings of its own: only its answers to the daemon's pings keep it alive.
    with Terminal(daemon.url, ping_interval=None) as terminal:
        assert terminal.register("IDLE2")["result"] is True
        terminal.assert_silent(DEAD_PEER * 2)
        ack = terminal.request(sendlog("IDLE2", [record(1, "2024-06-01 00:00:00")], logindex=1))

    assert ack["result"] is True


def test_peer_that_stops_responding_is_dropped_after_the_dead_peer_timeout(daemon):
    with Bystander(daemon.url) as bystander, registered_raw(daemon.port, "DEAD1") as raw:
        last_sent = time.monotonic()
        closed_at = raw.wait_for_eof(timeout=DEAD_PEER + SLACK + 3)  # reads, but never pongs
        unanswered = raw.buffer

    waited = closed_at - last_sent
    assert DEAD_PEER - 0.1 <= waited <= DEAD_PEER + SLACK, f"dropped after {waited:.2f} s"
    assert unanswered.startswith(bytes([0x80 | OP_PING])), "the daemon should have pinged before giving up"
    assert "peer stopped responding" in daemon.log()
    bystander.assert_served()


def test_message_not_finished_within_the_message_timeout_is_closed_with_1008(daemon):
    with registered_raw(daemon.port, "SLOWMSG1") as raw:
        began = time.monotonic()
        message = json.dumps(sendlog("SLOWMSG1", [record(1, "2024-06-01 00:00:00")], logindex=1)).encode()
        raw.send_frame(OP_TEXT, message[:10], fin=False)
        close = raw.read_close(timeout=MESSAGE + SLACK + 2)

    waited = time.monotonic() - began
    assert close.opcode == OP_CLOSE and close.close_code == 1008, close
    assert MESSAGE - 0.1 <= waited <= MESSAGE + SLACK, f"closed after {waited:.2f} s"


def test_sender_trickling_one_message_is_closed_by_the_message_timeout_not_kept_alive(daemon):
    frame = encode_frame(OP_TEXT, b"x" * 1000)

    with registered_raw(daemon.port, "TRICKLE1") as raw:
        began = time.monotonic()
        raw.sock.sendall(frame[:8])
        for byte in frame[8:]:  # a byte every 0.1 s keeps the dead-peer timer from ever firing
            try:
                raw.sock.sendall(bytes([byte]))
            except OSError:
                break
            if select.select([raw.sock], [], [], 0.1)[0]:
                break
        close = raw.read_close(timeout=SLACK)

    waited = time.monotonic() - began
    assert close.close_code == 1008
    assert MESSAGE - 0.1 <= waited <= MESSAGE + SLACK, f"closed after {waited:.2f} s"


def test_a_thousand_idle_tcp_connections_neither_starve_a_terminal_nor_outlive_the_handshake_timeout(daemon):
    idle = [socket.create_connection(("127.0.0.1", daemon.port)) for _ in range(1000)]
    try:
        with Bystander(daemon.url) as bystander:
            time.sleep(HANDSHAKE / 2)
        bystander.assert_served()

        deadline = time.monotonic() + HANDSHAKE + SLACK + 2
        still_open = 0
        for sock in idle:  # each is answered (408, or nothing) and closed by the daemon
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                while sock.recv(65536):
                    pass
            except ConnectionResetError:
                pass
            except socket.timeout:
                still_open += 1
        assert still_open == 0, f"{still_open} of {len(idle)} idle connections outlived the handshake timeout"
    finally:
        for sock in idle:
            sock.close()
