"""Headless Chromium driven over the Chrome DevTools Protocol on 127.0.0.1, with the `websockets` library.

Chromium is started with a proxy on a closed loopback port, so that whatever it would fetch beyond this box
(component updates, safe browsing) fails at once on 127.0.0.1; loopback addresses bypass the proxy.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import websockets

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--disable-default-apps", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
    "--no-pings", "--metrics-recording-only", "--proxy-server=http://127.0.0.1:9",
    "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=412,915",
]


class ChromiumPage:
    """One headless Chromium with one page; `evaluate` runs JavaScript in it and returns the value."""

    def __init__(self, profile: Path):
        self.profile = profile
        self.process: subprocess.Popen | None = None
        self.socket = None
        self.ids = itertools.count(1)

    async def start(self, url: str, timeout: float = 20.0) -> "ChromiumPage":
        self.profile.mkdir(parents=True, exist_ok=True)
        log = open(self.profile / "chromium.log", "wb")
        self.process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", url],
                                        stdout=log, stderr=subprocess.STDOUT)
        port = await self._debugging_port(timeout)
        target = await self._page_target(port, timeout)
        self.socket = await websockets.connect(target, max_size=64 * 1024 * 1024)
        return self

    async def _debugging_port(self, timeout: float) -> int:
        """Chromium writes the port it chose to DevToolsActivePort in its profile."""
        path = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if path.exists() and path.read_text().strip():
                return int(path.read_text().split()[0])
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.process.returncode}; see {self.profile}/chromium.log")
            await asyncio.sleep(0.05)
        raise RuntimeError(f"chromium did not open its debugging port within {timeout} s")

    async def _page_target(self, port: int, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
                pages = [target for target in json.load(response) if target["type"] == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            await asyncio.sleep(0.05)
        raise RuntimeError("chromium shows no page target")

    async def send(self, method: str, **params) -> dict:
        """One DevTools command; events that arrive meanwhile are dropped (this driver polls the DOM)."""
        message_id = next(self.ids)
        await self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(await self.socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    async def evaluate(self, expression: str):
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 15.0, what: str = ""):
        """Polls `expression` in the page until it is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = await self.evaluate(expression)
            except RuntimeError:
                value = None  # the page is navigating
            if value:
                return value
            await asyncio.sleep(0.1)
        body = await self.evaluate("document.body ? document.body.innerText : ''")
        raise AssertionError(f"page never showed {what or expression} within {timeout} s; it shows:\n{body}")

    async def screenshot(self, path: Path) -> Path:
        result = await self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(result["data"]))
        return path

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
