"""A terminal as the `websockets` library drives it: messages of the Evo Facial protocol over a real socket."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import datetime, timedelta

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

DEVINFO = {
    "modelname": "AiFace", "usersize": 5000, "facesize": 5000, "fpsize": 0, "palmsize": 0, "cardsize": 5000,
    "pwdsize": 5000, "logsize": 500000, "useduser": 2, "usedface": 2, "usedfp": 0, "usedpalm": 0, "usedcard": 1,
    "usedpwd": 1, "usedlog": 22, "usednewlog": 16, "usedrtlog": 16, "netinuse": 1, "usb4g": 0,
    "fpalgo": "thbio3.0", "firmware": "ai-1.2.3", "time": "2024-12-31 00:00:00", "intercom": 0, "floors": 48,
    "charid": 1, "useosdp": 0, "dislanguage": 524417, "curip": "127.0.0.1", "mac": "00:11:22:33:44:55",
}

FIRST_RECORD_TIME = datetime(2024, 1, 1, 8, 0, 0)


def record_time(index: int, start: datetime = FIRST_RECORD_TIME) -> str:
    """The terminal time of the `index`th record: one second apart."""
    return (start + timedelta(seconds=index)).strftime("%Y-%m-%d %H:%M:%S")


def record(enrollid: int, time_text: str, **fields) -> dict:
    """One access record as the vendor example shows it (face, entry)."""
    return {"enrollid": enrollid, "time": time_text, "mode": 8, "inout": 0, "event": 0, **fields}


def sendlog(sn: str | None, records: list, logindex: int, count: int | None = None) -> dict:
    message = {"cmd": "sendlog"}
    if sn is not None:
        message["sn"] = sn
    message["count"] = len(records) if count is None else count
    message["logindex"] = logindex
    message["record"] = records
    return message


def reg(sn: str, devinfo: dict | None = DEVINFO) -> dict:
    message = {"cmd": "reg", "sn": sn}
    if devinfo is not None:
        message["devinfo"] = devinfo
    return message


class Terminal:
    """A synchronous WebSocket client speaking JSON text messages."""

    def __init__(self, url: str, source_address: str | None = None, **options):
        sock = None
        if source_address:
            host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((source_address, 0))
            sock.connect((host, int(port)))
        self._connection = connect(url, sock=sock, open_timeout=10, max_size=None, **options)
        self.ws = self._connection.__enter__()

    def __enter__(self) -> "Terminal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._connection.__exit__(None, None, None)

    def send_json(self, message: dict) -> None:
        self.ws.send(json.dumps(message))

    def send_text(self, text: str) -> None:
        self.ws.send(text)

    def receive_json(self, timeout: float = 10.0) -> dict:
        return json.loads(self.ws.recv(timeout=timeout))

    def request(self, message: dict, timeout: float = 10.0) -> dict:
        self.send_json(message)
        return self.receive_json(timeout)

    def register(self, sn: str, devinfo: dict | None = DEVINFO) -> dict:
        return self.request(reg(sn, devinfo))

    def assert_silent(self, seconds: float) -> None:
        """Nothing arrives for `seconds` and the connection stays open."""
        try:
            message = self.ws.recv(timeout=seconds)
        except TimeoutError:
            return
        raise AssertionError(f"expected no message, got {message!r}")

    def closed_code(self, timeout: float = 10.0) -> int | None:
        """Waits for the server to close the connection and returns its close code."""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                self.ws.recv(timeout=max(0.01, deadline - time.monotonic()))
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        except TimeoutError:
            pass
        raise AssertionError(f"connection still open after {timeout} s")


class Bystander:
    """Another terminal, connected meanwhile, that keeps sending one record and timing its acknowledgement.

    Used around an attack on the daemon to measure that the others are still served promptly.
    """

    def __init__(self, url: str, sn: str = "BYSTANDER", interval: float = 0.05, min_acks: int = 3):
        self.url = url
        self.min_acks = min_acks
        self.sn = sn
        self.interval = interval
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"bystander-{sn}", daemon=True)
        self._started = threading.Event()

    def __enter__(self) -> "Bystander":
        self._thread.start()
        if not self._started.wait(10):
            raise AssertionError(f"bystander did not register: {self.errors}")
        return self

    def __exit__(self, *exc) -> None:
        self.wait_for_acks(self.min_acks, timeout=10)
        self._stop.set()
        self._thread.join(30)

    def wait_for_acks(self, count: int, timeout: float) -> None:
        """Lets the bystander go on until it has `count` acknowledgements (an attack may be over quickly)."""
        deadline = time.monotonic() + timeout
        while len(self.latencies) < count and not self.errors and time.monotonic() < deadline:
            time.sleep(0.01)

    def _run(self) -> None:
        try:
            with Terminal(self.url) as terminal:
                reply = terminal.register(self.sn)
                assert reply["result"] is True, reply
                self._started.set()
                index = 0
                while not self._stop.is_set():
                    message = sendlog(self.sn, [record(900_000 + index, record_time(index))], logindex=index)
                    began = time.monotonic()
                    ack = terminal.request(message, timeout=20)
                    self.latencies.append(time.monotonic() - began)
                    if ack.get("ret") != "sendlog" or ack.get("result") is not True or ack.get("logindex") != index:
                        self.errors.append(f"unexpected ack {ack}")
                    index += 1
                    self._stop.wait(self.interval)
        except Exception as error:  # reported by assert_served, which the test calls
            self.errors.append(f"{type(error).__name__}: {error}")
            self._started.set()

    def assert_served(self, max_latency: float = 1.0) -> None:
        """Every acknowledgement came within `max_latency` seconds, and at least `min_acks` came."""
        assert not self.errors, f"bystander failed: {self.errors}"
        assert len(self.latencies) >= self.min_acks, f"bystander got only {len(self.latencies)} acknowledgements"
        worst = max(self.latencies)
        assert worst <= max_latency, (
            f"bystander waited {worst:.3f} s for an acknowledgement (limit {max_latency} s); "
            f"{len(self.latencies)} acks, median {sorted(self.latencies)[len(self.latencies) // 2]:.3f} s")


def assert_daemon_serves(daemon, sn: str = "AFTER") -> None:
    """The daemon is alive and a new terminal can register and store a record."""
    assert daemon.is_running()
    with Terminal(daemon.url) as terminal:
        assert terminal.register(sn)["result"] is True
        ack = terminal.request(sendlog(sn, [record(1, "2024-05-01 00:00:00")], logindex=1))
        assert ack["result"] is True
