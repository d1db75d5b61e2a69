"""RFC 6455 written by hand over a plain socket, so a test can send what a library never would."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time

OP_CONTINUATION = 0x0
OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8
OP_PING = 0x9
OP_PONG = 0xA


def encode_frame(opcode: int, payload: bytes, fin: bool = True, mask: bool = True, rsv: int = 0) -> bytes:
    """One frame; client frames are masked unless `mask` is False (a protocol error)."""
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    length = len(payload)
    mask_bit = 0x80 if mask else 0
    if length < 126:
        header = struct.pack("!BB", first, mask_bit | length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", first, mask_bit | 126, length)
    else:
        header = struct.pack("!BBQ", first, mask_bit | 127, length)
    if not mask:
        return header + payload
    key = os.urandom(4)
    return header + key + apply_mask(payload, key)


def apply_mask(payload: bytes, key: bytes) -> bytes:
    repeated = (key * (len(payload) // 4 + 1))[: len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(len(payload), "big")


def upgrade_request(port: int, path: str = "/", key: str | None = None, omit: tuple[str, ...] = ()) -> bytes:
    """A client upgrade request; header names in `omit` are left out."""
    key = key or base64.b64encode(os.urandom(16)).decode()
    headers = {
        "Host": f"127.0.0.1:{port}", "Upgrade": "websocket", "Connection": "Upgrade",
        "Sec-WebSocket-Key": key, "Sec-WebSocket-Version": "13",
    }
    lines = [f"GET {path} HTTP/1.1"] + [f"{name}: {value}" for name, value in headers.items() if name not in omit]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class Frame:
    def __init__(self, fin: bool, opcode: int, payload: bytes):
        self.fin = fin
        self.opcode = opcode
        self.payload = payload

    @property
    def close_code(self) -> int | None:
        return struct.unpack("!H", self.payload[:2])[0] if self.opcode == OP_CLOSE and len(self.payload) >= 2 else None

    def __repr__(self) -> str:
        return f"Frame(fin={self.fin}, opcode={self.opcode:#x}, payload={self.payload[:80]!r})"


class RawWebSocket:
    """A client socket to the daemon; frames are written and read one at a time."""

    def __init__(self, port: int, source_address: str | None = None, timeout: float = 10.0):
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if source_address:
            self.sock.bind((source_address, 0))
        self.sock.settimeout(timeout)
        self.sock.connect(("127.0.0.1", port))
        self.buffer = b""

    def __enter__(self) -> "RawWebSocket":
        return self

    def __exit__(self, *exc) -> None:
        self.sock.close()

    # Handshake

    def send_upgrade(self, path: str = "/", **options) -> None:
        self.sock.sendall(upgrade_request(self.port, path, **options))

    def read_response(self) -> tuple[int, dict[str, str], bytes]:
        """The HTTP response head (status, lower-case headers) and, when it has a Content-Length, its body."""
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, headers, body

    def handshake(self, path: str = "/") -> None:
        self.send_upgrade(path)
        status, headers, _ = self.read_response()
        assert status == 101, f"upgrade answered {status} {headers}"

    # Frames

    def send_frame(self, opcode: int, payload: bytes, **options) -> None:
        self.sock.sendall(encode_frame(opcode, payload, **options))

    def send_text(self, text: str | bytes) -> None:
        self.send_frame(OP_TEXT, text.encode() if isinstance(text, str) else text)

    def send_json(self, message: dict) -> None:
        self.send_text(json.dumps(message))

    def read_frame(self, timeout: float | None = None) -> Frame | None:
        """The next frame, or None when the server closed the TCP connection."""
        if timeout is not None:
            self.sock.settimeout(timeout)
        try:
            header = self._take(2)
            if header is None:
                return None
            fin, opcode = bool(header[0] & 0x80), header[0] & 0x0F
            length = header[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._take(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._take(8))[0]
            assert not header[1] & 0x80, "server frames must not be masked"
            payload = self._take(length) if length else b""
            return Frame(fin, opcode, payload)
        except ConnectionResetError:
            return None

    def read_json(self, timeout: float = 10.0) -> dict:
        """The next text message as JSON, answering pings on the way."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self.read_frame(max(0.01, deadline - time.monotonic()))
            assert frame is not None, "connection closed while waiting for a message"
            if frame.opcode == OP_PING:
                self.send_frame(OP_PONG, frame.payload)
                continue
            assert frame.opcode == OP_TEXT and frame.fin, f"expected one text frame, got {frame}"
            return json.loads(frame.payload)

    def read_close(self, timeout: float = 10.0) -> Frame:
        """Skips data frames until the server's close frame."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self.read_frame(max(0.01, deadline - time.monotonic()))
            assert frame is not None, "TCP connection closed without a close frame"
            if frame.opcode == OP_CLOSE:
                return frame

    def wait_for_eof(self, timeout: float) -> float:
        """Reads (into `buffer`, answering nothing) until the server closes the TCP connection; returns when."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                return time.monotonic()
            if not chunk:
                return time.monotonic()
            self.buffer += chunk
        raise AssertionError(f"server kept the connection open for {timeout} s")

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("server closed the connection")
        self.buffer += chunk
        return True

    def _take(self, count: int) -> bytes | None:
        while len(self.buffer) < count:
            chunk = self.sock.recv(max(65536, count - len(self.buffer)))
            if not chunk:
                return None
            self.buffer += chunk
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken


def registered_raw(port: int, sn: str) -> RawWebSocket:
    """A raw connection that has completed its upgrade and registered as `sn`."""
    raw = RawWebSocket(port)
    raw.handshake()
    raw.send_json({"cmd": "reg", "sn": sn})
    assert raw.read_json()["result"] is True
    return raw
