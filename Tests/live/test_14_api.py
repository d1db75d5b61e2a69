"""The operators' HTTP API with plain http.client and sockets: the token on every endpoint, loopback by default,
validation errors, records with filters and a cursor, status, malformed HTTP, clients that go away."""

from __future__ import annotations

import re
import socket
from datetime import datetime, timezone

import pytest

from conftest import COMMANDS_CONFIG
from terminal_client import Terminal, record, sendlog

ENDPOINTS = [
    ("GET", "/v1/status", None),
    ("GET", "/v1/terminals", None),
    ("GET", "/v1/terminals/EMU1", None),
    ("POST", "/v1/terminals/EMU1/commands/opendoor", {"doornum": 1}),
    ("POST", "/v1/terminals/commands/opendoor", {"doornum": 1}),
    ("POST", "/v1/terminals/EMU1/raw", {"message": {"cmd": "opendoor", "doornum": 1}, "expect_reply": False}),
    ("GET", "/v1/records", None),
    ("GET", "/v1/records?sn=EMU1&limit=5", None),
    ("GET", "/v1/no-such-route", None),
]


def raw_http(port: int, request: bytes, timeout: float = 5.0) -> bytes:
    """Sends `request` as it is and returns everything the daemon answers until it closes (or `timeout`)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request)
        chunks = []
        try:
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


def status_line(response: bytes) -> str:
    return response.split(b"\r\n", 1)[0].decode(errors="replace")


def assert_api_serves(daemon) -> None:
    status, body = daemon.api("GET", "/v1/status")
    assert status == 200 and body["daemon"]["pid"] == daemon.process.pid


# The token


@pytest.mark.parametrize("token", [None, "wrong-token-0123456789abcdef", "Bearer"])
def test_every_endpoint_needs_the_token(command_daemon, emulator, token):
    for method, path, body in ENDPOINTS:
        status, answer = command_daemon.api(method, path, body, token=token)
        assert status == 401, (method, path, status, answer)
        assert answer["error"]["code"] == "unauthorized", (method, path, answer)
    assert emulator.state()["doors_opened"] == {}, "a call without the token reached the terminal"

    for scheme in ("Basic", "bearer-ish"):
        request = (f"GET /v1/status HTTP/1.1\r\nHost: x\r\nAuthorization: {scheme} {command_daemon.token}\r\n"
                   "Connection: close\r\n\r\n").encode()
        assert status_line(raw_http(command_daemon.api_port, request)).split(" ")[1] == "401"

    code, out, err = command_daemon.cli("terminal", "EMU1", "time", token="nope-nope-nope-nope")
    assert code == 1 and "token" in err.lower(), (code, out, err)
    status, _ = command_daemon.api("POST", "/v1/terminals/EMU1/commands/opendoor", {"doornum": 1})
    assert status == 200 and emulator.state()["doors_opened"] == {"1": 1}


def test_the_api_listens_on_loopback_unless_told(make_daemon):
    daemon = make_daemon({"commands": COMMANDS_CONFIG["commands"]}, start=False)
    daemon.api_listen = None
    try:
        daemon.start()
    except RuntimeError as error:
        # Port 7793 taken by something else on this box: the daemon still names the loopback address it tried.
        assert "cannot listen for the operators' API on 127.0.0.1:7793" in str(error)
        return
    assert re.search(r"listening for operators listen=127\.0\.0\.1:7793\b", daemon.log())
    assert "the operators' API listens beyond this box" not in daemon.log()


# Validation


@pytest.mark.parametrize("name, params, field, words", [
    ("getuserinfo", {"enrollid": "abc"}, "enrollid", "abc"),
    ("getuserinfo", {"enrollid": 1, "backupnum": 13}, "backupnum", "not a credential slot"),
    ("getuserinfo", {"enrollid": 1, "colour": "red"}, "colour", "colour"),
    ("setuserinfo", {"enrollid": 1, "verifymode": 7}, "verifymode", "7"),
    ("enableuser", {"enrollid": 1, "enflag": 2}, "enflag", "2"),
    ("setdevlock", {"dayzone": [{"day": [{"section": "07:00-18:00"}]}]}, "dayzone", "HH:MM~HH:MM"),
    ("setdevlock", {"weekzone": [{"week": [{"day": 1}] * 6}]}, "weekzone", "7"),
    ("getalllog", {"from": "2024-02-30", "to": "2024-03-01"}, "from", "2024-02-30"),
    ("settime", {"cloudtime": "yesterday"}, "cloudtime", "yesterday"),
    ("setquestionnaire", {"radio": True, "items": [str(i) for i in range(9)]}, "items", "8"),
])
def test_validation_errors_are_400_naming_the_field(command_daemon, emulator, name, params, field, words):
    status, body = command_daemon.api("POST", f"/v1/terminals/EMU1/commands/{name}", params)

    assert status == 400, body
    assert body["error"]["code"] == "invalid_command"
    assert body["error"]["field"].startswith(field), body
    assert words in body["error"]["message"], body
    assert [entry for entry in emulator.state()["commands"] if entry["command"]["cmd"] == name] == []


def test_bad_requests_and_unknown_commands_are_400(command_daemon, emulator):
    status, body = command_daemon.api("POST", "/v1/terminals/EMU1/commands/getteim", {})
    assert status == 400 and body["error"]["code"] == "unknown_command" and "raw" in body["error"]["message"]

    for payload in (b"{not json", b"[1, 2]", b'"text"'):
        status, body = command_daemon.api("POST", "/v1/terminals/EMU1/commands/gettime", payload)
        assert status == 400 and body["error"]["code"] == "invalid_request", (payload, body)

    status, body = command_daemon.api("POST", "/v1/terminals/EMU1/commands/gettime?timeout=soon", {})
    assert status == 400 and body["error"]["code"] == "invalid_request" and "timeout" in body["error"]["message"]

    status, body = command_daemon.api("POST", "/v1/terminals/EMU1/raw", {"message": {"doornum": 1}})
    assert status == 400 and "cmd" in body["error"]["message"]

    status, body = command_daemon.api("GET", "/v1/nothing-here")
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body = command_daemon.api("GET", "/v1/terminals/NOSUCHSN")
    assert status == 404 and body["error"]["code"] == "terminal_unknown"

    status, body = command_daemon.api("POST", "/v1/terminals/EMU1/commands/gettime", b"")
    assert status == 200 and body["outcome"] == "replied" and body["reply"]["time"]
    assert [entry["command"]["cmd"] for entry in emulator.state()["commands"]] == ["gettime"]


# Records and status


def push_records(daemon) -> list[tuple[str, int, str]]:
    """Two terminals push 12 records over two days; returns (sn, enrollid, time) of each."""
    pushed = []
    for sn, enrollids in (("RECA", (1, 2)), ("RECB", (2, 3))):
        with Terminal(daemon.url) as terminal:
            assert terminal.register(sn)["result"] is True
            records = [record(enrollids[i % 2], f"2024-03-0{1 + i // 3} 0{i}:00:00") for i in range(6)]
            assert terminal.request(sendlog(sn, records, logindex=0))["result"] is True
            pushed += [(sn, entry["enrollid"], entry["time"]) for entry in records]
    return pushed


def test_records_filters_and_cursor(command_daemon):
    pushed = push_records(command_daemon)

    def query(params: str) -> list[tuple[str, int, str]]:
        status, body = command_daemon.api("GET", f"/v1/records?{params}")
        assert status == 200, body
        return [(entry["sn"], entry["enrollid"], entry["time"]) for entry in body["records"]]

    assert sorted(query("limit=1000")) == sorted(pushed)
    assert sorted(query("sn=RECB")) == sorted(entry for entry in pushed if entry[0] == "RECB")
    assert sorted(query("enrollid=2")) == sorted(entry for entry in pushed if entry[1] == 2)
    assert sorted(query("sn=RECA&from=2024-03-02&to=2024-03-02")) == sorted(
        entry for entry in pushed if entry[0] == "RECA" and entry[2].startswith("2024-03-02"))
    assert sorted(query("from=2024-03-01%2001:00:00&to=2024-03-01%2002:00:00")) == sorted(
        entry for entry in pushed if "2024-03-01 01:00:00" <= entry[2] <= "2024-03-01 02:00:00")

    seen, after, pages = [], None, 0
    while True:
        status, body = command_daemon.api("GET", "/v1/records?limit=5" + (f"&after={after}" if after else ""))
        assert status == 200 and len(body["records"]) <= 5
        seen += body["records"]
        pages += 1
        after = body["next"]
        if after is None:
            break
        assert after == body["records"][-1]["id"]
    assert pages == 3 and len(seen) == 12 and len({entry["id"] for entry in seen}) == 12
    assert [entry["id"] for entry in seen] == sorted(entry["id"] for entry in seen)
    assert set(seen[0]) >= {"id", "sn", "enrollid", "time", "mode", "inout", "event", "verifymode", "temp", "name",
                            "received_at", "has_photo"}

    # The store checks the shape of a time, not the calendar: "2024-13-01" is taken (it compares after 2024-12).
    for bad in ("from=March", "to=2024/03/01", "limit=0", "limit=1001", "after=x", "enrollid=one", "colour=red"):
        status, body = command_daemon.api("GET", f"/v1/records?{bad}")
        assert status == 400 and body["error"]["code"] == "invalid_request", (bad, body)
        assert bad.split("=")[0] in body["error"]["message"], (bad, body)

    code, out, err = command_daemon.cli("records", "--sn", "RECA")
    assert code == 0 and out.count("RECA") == 6, err


def test_status_shape(command_daemon, emulator):
    push_records(command_daemon)

    status, body = command_daemon.api("GET", "/v1/status")

    assert status == 200
    daemon, store, terminals = body["daemon"], body["store"], body["terminals"]
    assert set(daemon) >= {"version", "pid", "started_at", "uptime_seconds"}
    assert daemon["pid"] == command_daemon.process.pid
    started = datetime.fromisoformat(daemon["started_at"].replace("Z", "+00:00"))
    assert started.tzinfo is not None and abs((datetime.now(timezone.utc) - started).total_seconds()) < 60
    assert 0 <= daemon["uptime_seconds"] < 60
    assert store["path"] == str(command_daemon.db) and store["records"] == 12 and store["quarantined"] == 0
    assert {"unsaved_registrations", "batches_in_flight"} <= set(store)
    assert terminals == {"connected": 1, "known": 3}

    status, listing = command_daemon.api("GET", "/v1/terminals")
    assert status == 200
    by_sn = {terminal["sn"]: terminal for terminal in listing["terminals"]}
    assert set(by_sn) == {"EMU1", "RECA", "RECB"}
    assert by_sn["EMU1"]["connected"] is True and by_sn["RECA"]["connected"] is False
    assert by_sn["EMU1"]["devinfo"]["firmware"] == "catraca-emulator" and by_sn["EMU1"]["queued_commands"] == 0
    assert set(by_sn["RECA"]) >= {"sn", "connected", "address", "last_seen", "registered_at", "devinfo",
                                  "queued_commands"}

    code, out, err = command_daemon.cli("status")
    assert code == 0 and str(command_daemon.process.pid) in out, err


# Malformed HTTP and clients that go away


@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n",
    b"GET /v1/status\r\n\r\n",
    b"GET /v1/status HTTP/1.1\r\nHost x\r\n\r\n",
    b"POST /v1/terminals/EMU1/commands/gettime HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
    b"POST /v1/terminals/EMU1/commands/gettime HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    b"GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 200_000 + b"\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(64),
], ids=["garbage", "no-version", "header-without-colon", "content-length-text", "content-length-negative",
        "header-200k", "tls-hello"])
def test_malformed_http_gets_400_and_the_daemon_stays_up(command_daemon, emulator, request_bytes):
    response = raw_http(command_daemon.api_port, request_bytes)

    assert re.match(r"HTTP/1\.[01] (400|413|431) ", status_line(response)), response[:200]
    assert command_daemon.is_running()
    assert_api_serves(command_daemon)
    assert emulator.state()["commands"] == []


def test_a_client_going_away_while_its_command_waits_does_not_disturb_the_next(command_daemon, make_emulator):
    emulator = make_emulator(command_daemon, users=5, quirks=["slow-reply=800"])
    token = command_daemon.token

    body = b'{"enrollid":2}'
    request = (f"POST /v1/terminals/EMU1/commands/getusername HTTP/1.1\r\nHost: x\r\n"
               f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    with socket.create_connection(("127.0.0.1", command_daemon.api_port)) as connection:
        connection.sendall(request)
        emulator.wait_for_state(lambda state: len(state["commands"]) == 1)

    status, body = command_daemon.api("POST", "/v1/terminals/EMU1/commands/getusername", {"enrollid": 3})

    assert status == 200 and body["reply"]["record"] == "User 0003", body
    assert [entry["command"].get("enrollid") for entry in emulator.state()["commands"]] == [2, 3]
    assert_api_serves(command_daemon)
    status, body = command_daemon.api("POST", "/v1/terminals/EMU1/commands/getusername", {"enrollid": 4})
    assert status == 200 and body["reply"]["record"] == "User 0004"
