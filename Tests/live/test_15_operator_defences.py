"""The operators' API against strangers and abandoned callers: authorization on the request head (no body read,
no 100 Continue), its own error codes for the HTTP server's refusals, and commands withdrawn from a terminal's
queue once their HTTP client has gone (~5 s)."""

from __future__ import annotations

import json
import socket
import threading
import time

from scripted_terminal import ScriptedTerminal, reply_to


def connect(daemon) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", daemon.api_port), timeout=5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_response(sock: socket.socket) -> tuple[int, dict | None]:
    """Reads one response with a Content-Length body: (status, JSON body or None)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed after {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        body += sock.recv(65536)
    return int(lines[0].split()[1]), (json.loads(body[:length]) if length else None)


def test_an_unauthenticated_upload_is_refused_on_its_head_without_100_continue(daemon):
    with connect(daemon) as sock:
        sock.sendall(b"POST /v1/terminals/X/raw HTTP/1.1\r\nHost: x\r\nContent-Length: 31457280\r\n"
                     b"Expect: 100-continue\r\n\r\n")
        status, body = read_response(sock)
    assert status == 401 and body["error"]["code"] == "unauthorized"

    with connect(daemon) as sock:
        sock.sendall(b"POST /v1/terminals/X/raw HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n"
                     b"Content-Length: 31457280\r\n\r\n" + b"x" * 65536)
        status, body = read_response(sock)
    assert status == 401

    # The status page's login takes a small body only.
    with connect(daemon) as sock:
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
        status, body = read_response(sock)
    assert status == 413 and body["error"]["code"] == "body_too_large"
    assert daemon.api("GET", "/v1/status")[0] == 200


def test_one_connection_too_many_gets_server_busy_and_the_cli_exits_1(daemon):
    held = [connect(daemon) for _ in range(64)]
    try:
        time.sleep(0.2)
        with connect(daemon) as extra:
            status, body = read_response(extra)
        assert status == 503 and body["error"]["code"] == "server_busy"
        code, _, err = daemon.cli("status", timeout=20)
        assert code == 1 and "server_busy" in err, (code, err)
    finally:
        for sock in held:
            sock.close()


def test_a_command_whose_caller_left_while_it_waited_is_never_sent(command_daemon):
    release = threading.Event()

    def answer(terminal, command):
        if command["cmd"] == "gettime":
            # Busy: the next command waits in the daemon's queue behind this one.
            release.wait(10)
            terminal.send_json(reply_to(command, "SLOW", time="2024-01-01 00:00:00"))
        else:
            terminal.send_json(reply_to(command, "SLOW"))

    with ScriptedTerminal(command_daemon.url, "SLOW", answer) as terminal:
        slow = threading.Thread(target=command_daemon.api, args=("POST", "/v1/terminals/SLOW/commands/gettime", {}))
        slow.start()
        terminal.wait_for(lambda: [command["cmd"] for command in terminal.commands] == ["gettime"])

        body = json.dumps({"doornum": 3}).encode()
        with connect(command_daemon) as abandoned:
            abandoned.sendall(b"POST /v1/terminals/SLOW/commands/opendoor HTTP/1.1\r\nHost: x\r\n"
                              + f"Authorization: Bearer {command_daemon.token}\r\n".encode()
                              + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            deadline = time.monotonic() + 5
            while "cmd=opendoor" not in command_daemon.log() and time.monotonic() < deadline:
                time.sleep(0.02)
        # The client is gone (as a killed CLI would be) before the terminal is free.
        deadline = time.monotonic() + 5
        while "command withdrawn" not in command_daemon.log() and time.monotonic() < deadline:
            time.sleep(0.02)
        release.set()
        slow.join(10)

        status, reply = command_daemon.api("POST", "/v1/terminals/SLOW/commands/getdevinfo", {})
        assert status == 200, reply

    assert "command withdrawn" in command_daemon.log()
    assert [command["cmd"] for command in terminal.commands] == ["gettime", "getdevinfo"]
