"""A daemon with the intercom on, and phones and terminals as `websockets` clients, for the intercom tests."""

from __future__ import annotations

import re
import sqlite3

from conftest import COMMANDS_CONFIG
from terminal_client import Terminal

PHONES_LISTENING = re.compile(r"listening for phones listen=127\.0\.0\.1:(\d+)")

PHONES = {
    "1001": {"secret": "secret-1001", "enrollid": 7, "apartment": "101", "name": "Ana"},
    "1002": {"secret": "secret-1002", "enrollid": 8, "apartment": "101", "name": "Bruno"},
}

SDP_OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
SDP_ANSWER = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
CANDIDATE = '{"candidate":"candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host","sdpMid":"0","sdpMLineIndex":0}'


def intercom_config(ring_timeout: float = 2.0, **intercom) -> dict:
    """Commands without settime on registration (the tests read every message the terminal gets) and the intercom
    on a free loopback port with two phones in apartment 101."""
    return {**COMMANDS_CONFIG, "intercom": {
        "listen": "127.0.0.1:0", "ringTimeoutSeconds": ring_timeout, "phones": PHONES, **intercom}}


def start_intercom_daemon(make_daemon, **settings):
    daemon = make_daemon(intercom_config(**settings))
    daemon.phone_port = daemon._wait_for_port(10, PHONES_LISTENING)
    return daemon


class Phone(Terminal):
    """A phone or browser on the phones' port: the same JSON-over-WebSocket client as a terminal."""

    @classmethod
    def connect(cls, daemon) -> "Phone":
        return cls(f"ws://127.0.0.1:{daemon.phone_port}/")

    def phonereg(self, phonenum: str, secret: str | None = None) -> dict:
        return self.request({"cmd": "phonereg", "phonenum": phonenum, "enrollid": PHONES[phonenum]["enrollid"],
                             "secret": secret or PHONES[phonenum]["secret"]})


def registered_phone(daemon, phonenum: str) -> Phone:
    phone = Phone.connect(daemon)
    reply = phone.phonereg(phonenum)
    assert reply["ret"] == "phonereg" and reply["result"] is True, reply
    return phone


def registered_terminal(daemon, sn: str = "T1") -> Terminal:
    terminal = Terminal(daemon.url)
    assert terminal.register(sn)["result"] is True
    daemon.wait_until_connected(sn)
    return terminal


def stored_calls(daemon) -> list[dict]:
    """The calls as `GET /v1/calls` lists them, newest first."""
    status, body = daemon.api("GET", "/v1/calls")
    assert status == 200, body
    return body["calls"]


def outbox_kinds(daemon) -> list[str]:
    with sqlite3.connect(f"file:{daemon.db}?mode=ro", uri=True) as connection:
        return [row[0] for row in connection.execute("SELECT kind FROM outbox ORDER BY id")]


def wait_for_calls(daemon, count: int, timeout: float = 5.0) -> list[dict]:
    """The calls once `count` are stored (the store commits a moment after the call ends)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        calls = stored_calls(daemon)
        if len(calls) >= count:
            return calls
        time.sleep(0.05)
    raise AssertionError(f"expected {count} stored calls, found {stored_calls(daemon)}")
