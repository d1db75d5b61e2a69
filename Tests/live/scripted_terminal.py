"""A terminal whose answers to the daemon's commands a test writes: for misbehaviour the emulator does not cover."""

from __future__ import annotations

import threading
import time
from typing import Callable

from websockets.exceptions import ConnectionClosed

from terminal_client import Terminal

# What a test's answer function is given: the terminal (to send with) and the command the daemon sent.
Answer = Callable[["ScriptedTerminal", dict], None]


def reply_to(command: dict, sn: str, **fields) -> dict:
    """The usual success reply to `command`: `ret`, `sn`, `result` true, then `fields`."""
    return {"ret": command["cmd"], "sn": sn, "result": True, **fields}


class ScriptedTerminal:
    """A registered terminal that hands every command it receives to `answer`, on a receiving thread.

    Acknowledgements (`ret` messages) are collected in `acks`, commands in `commands`. `answer` may send any
    number of messages (or none) and may close the connection.
    """

    def __init__(self, url: str, sn: str, answer: Answer):
        self.url = url
        self.sn = sn
        self.answer = answer
        self.commands: list[dict] = []
        self.acks: list[dict] = []
        self.errors: list[str] = []
        self.closed = threading.Event()
        self.terminal: Terminal | None = None
        self._thread = threading.Thread(target=self._receive, name=f"scripted-{sn}", daemon=True)

    def __enter__(self) -> "ScriptedTerminal":
        self.terminal = Terminal(self.url)
        reply = self.terminal.register(self.sn)
        assert reply.get("result") is True, reply
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()
        self._thread.join(10)
        assert not self.errors, f"scripted terminal {self.sn} failed: {self.errors}"

    def send_json(self, message: dict) -> None:
        self.terminal.send_json(message)

    def close(self) -> None:
        if not self.closed.is_set():
            self.closed.set()
            self.terminal.close()

    def wait_for(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"scripted terminal {self.sn}: condition not met within {timeout} s; "
                                     f"commands {self.commands}, acks {self.acks}")
            time.sleep(0.01)

    def _receive(self) -> None:
        try:
            while not self.closed.is_set():
                try:
                    message = self.terminal.receive_json(timeout=0.2)
                except TimeoutError:
                    continue
                if "ret" in message:
                    self.acks.append(message)
                    continue
                self.commands.append(message)
                self.answer(self, message)
        except ConnectionClosed:
            self.closed.set()
        except Exception as error:  # reported by __exit__
            if not self.closed.is_set():
                self.errors.append(f"{type(error).__name__}: {error}")
