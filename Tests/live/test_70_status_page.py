"""The status page: headless Chromium logs in, sees a terminal come online and a passage close without a
reload, and keeps a screenshot; the cookie is refused cross-site and without its CSRF token; logins are
rate-limited."""

from __future__ import annotations

import asyncio
import http.client
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest

from chromium_page import CHROMIUM, ChromiumPage

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# EMU1 stands at the entry of gate1, whose input is simulated. The emulator's one record (enrollid 1, event 0)
# is a grant; nobody turns the turnstile, so a `not_turned` passage closes when the 1 s window (and the
# service's 1 s settle time) has passed.
GATE_CONFIG = {
    "commands": {"onRegistration": {"setTime": False, "pullNewLogs": False}},
    "turnstiles": {"gate1": {"entry": ["EMU1"], "gpio": {"chip": "simulated"}}},
    "passages": {"windowSeconds": 1, "grantMaxAgeSeconds": 0},  # the emulator's records carry 2024 times
}

BROWSER_STAGE_SECONDS = 90


def request(daemon, method: str, path: str, body: str | None = None, headers: dict | None = None):
    """(status, headers, body text) of one request to the API."""
    connection = http.client.HTTPConnection("127.0.0.1", daemon.api_port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode(errors="replace")
    finally:
        connection.close()


def login(daemon, token: str, client: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    status, response_headers, _ = request(daemon, "POST", "/login", urllib.parse.urlencode({"token": token}),
                                          headers)
    return status, response_headers


def session_cookie(daemon) -> str:
    status, headers = login(daemon, daemon.token)
    assert status == 303, status
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    return cookie.split(";")[0]


def csrf_token(daemon, cookie: str) -> str:
    _, _, page = request(daemon, "GET", "/", headers={"Cookie": cookie})
    return re.search(r'name="csrf-token" content="([0-9a-f]+)"', page).group(1)


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium: run scripts/setup.sh (it installs Debian's chromium)")
def test_the_page_shows_a_terminal_and_a_passage_live(make_daemon, make_emulator, tmp_path):
    daemon = make_daemon(GATE_CONFIG)
    page = ChromiumPage(tmp_path / "chromium")
    base = f"http://127.0.0.1:{daemon.api_port}"

    async def browse() -> Path:
        await page.start(base + "/")
        try:
            await page.wait_for("document.getElementById('login') !== null", what="the login form")
            await page.evaluate(f"document.getElementById('token').value = {daemon.token!r};"
                                "document.getElementById('login').submit(); true")
            await page.wait_for("document.querySelector('meta[name=csrf-token]') !== null", what="the page after login")
            await page.wait_for("document.getElementById('live').dataset.live === 'true'", what="the live badge")
            # Anything that reloads the page forgets this.
            await page.evaluate("window.loadedOnce = 'yes'")

            make_emulator(daemon, sn="EMU1", extra_args=["--records", "1"])
            await page.wait_for("document.querySelector('tr.terminal[data-sn=\"EMU1\"][data-online=\"true\"]') !== null",
                                what="EMU1 online")
            await page.wait_for("document.querySelector('li.passage[data-outcome=\"not_turned\"]"
                                "[data-turnstile=\"gate1\"]') !== null", what="the passage at gate1")
            await page.wait_for("document.querySelector('tr.terminal[data-sn=\"EMU1\"] .records-today')"
                                ".textContent !== '…'", what="records today")
            assert await page.evaluate("window.loadedOnce") == "yes", "the page was reloaded"
            return await page.screenshot(tmp_path / "status-page.png")
        finally:
            await page.close()

    screenshot = asyncio.run(asyncio.wait_for(browse(), BROWSER_STAGE_SECONDS))
    assert screenshot.stat().st_size > 1000
    ARTIFACTS.mkdir(exist_ok=True)
    kept = shutil.copy(screenshot, ARTIFACTS / "status-page.png")
    print(f"status page screenshot: {screenshot} (copied to {kept})")


def test_the_cookie_acts_only_from_this_site_with_the_csrf_token(make_daemon, make_emulator):
    daemon = make_daemon(GATE_CONFIG)
    make_emulator(daemon, sn="EMU1")
    cookie = session_cookie(daemon)
    token = csrf_token(daemon, cookie)
    host = f"127.0.0.1:{daemon.api_port}"
    path = "/v1/terminals/EMU1/commands/opendoor"
    json_body = {"Content-Type": "application/json"}

    status, _, body = request(daemon, "POST", path, "{}", {**json_body, "Cookie": cookie, "X-CSRF-Token": token,
                                                            "Origin": "http://evil.example"})
    assert status == 403 and "cross_site" in body
    status, _, body = request(daemon, "POST", path, "{}", {**json_body, "Cookie": cookie, "Origin": f"http://{host}"})
    assert status == 403 and "csrf_token_missing" in body
    status, _, body = request(daemon, "POST", path, "{}", {**json_body, "Cookie": cookie, "Origin": f"http://{host}",
                                                            "X-CSRF-Token": "0" * 64})
    assert status == 403 and "csrf_token_missing" in body
    status, _, body = request(daemon, "POST", path, '{"doornum": 1}', {**json_body, "Cookie": cookie,
                                                                        "Origin": f"http://{host}", "X-CSRF-Token": token})
    assert status == 200, body
    assert request(daemon, "GET", "/v1/status", headers={"Cookie": cookie})[0] == 200
    assert request(daemon, "GET", "/v1/status", headers={"Cookie": "catraca_session=" + "0" * 64})[0] == 401

    status, headers, _ = request(daemon, "POST", "/logout", headers={"Cookie": cookie, "X-CSRF-Token": token})
    assert status == 204 and "Max-Age=0" in headers["Set-Cookie"]
    assert request(daemon, "GET", "/v1/status", headers={"Cookie": cookie})[0] == 401


def test_a_login_flood_gets_429(make_daemon):
    daemon = make_daemon({})
    statuses = [login(daemon, "wrong-token-0123456789")[0] for _ in range(5)]
    assert statuses == [401] * 5
    status, headers = login(daemon, "wrong-token-0123456789")
    assert status == 429 and 1 <= int(headers["Retry-After"]) <= 60
    status, _ = login(daemon, daemon.token)
    assert status == 429, "the right token waits too: the limit is per address, not per guess"


def test_the_event_stream_sends_a_snapshot_and_heartbeats(make_daemon):
    daemon = make_daemon({})
    connection = http.client.HTTPConnection("127.0.0.1", daemon.api_port, timeout=10)
    connection.request("GET", "/v1/events?heartbeat=0.2", headers={"Authorization": f"Bearer {daemon.token}"})
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/event-stream")
    seen = b""
    while seen.count(b": heartbeat") < 2:
        seen += response.read1(4096)
    connection.close()
    assert b"event: snapshot\ndata: {" in seen
