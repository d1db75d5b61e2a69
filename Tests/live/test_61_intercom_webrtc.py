"""The intercom's Done-when: two real WebRTC peers (aiortc) playing the terminal and the phone, signaling only through
the daemon on loopback; the phone receives video frames from the terminal, in a call and in a monitoring session.

aiortc leaves 127.0.0.1 out of the addresses it gathers (aioice), so the host addresses are replaced with loopback
only, and no ICE server is configured (aiortc would otherwise ask a public STUN server). Each scenario has its own
timeout, well above the ~1 s a call takes here."""

from __future__ import annotations

import asyncio
import json

import pytest

aioice_ice = pytest.importorskip("aioice.ice")
aiortc = pytest.importorskip("aiortc")
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription, VideoStreamTrack  # noqa: E402
from aiortc.sdp import candidate_from_sdp  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from intercom_support import PHONES, start_intercom_daemon  # noqa: E402
from terminal_client import DEVINFO  # noqa: E402

SCENARIO_TIMEOUT = 40.0
FRAMES_WANTED = 5


@pytest.fixture(autouse=True)
def loopback_ice(monkeypatch):
    monkeypatch.setattr(aioice_ice, "get_host_addresses", lambda use_ipv4=True, use_ipv6=True: ["127.0.0.1"])


def peer() -> RTCPeerConnection:
    return RTCPeerConnection(RTCConfiguration(iceServers=[]))


async def send(ws, message: dict) -> None:
    await ws.send(json.dumps(message))


async def expect(ws, name: str, timeout: float = 10.0) -> dict:
    """The next message named `name` (`cmd` or `ret`); the others before it are skipped."""
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await ws.recv())
            if name in (message.get("cmd"), message.get("ret")):
                return message


def candidates_of(sdp: str) -> list[dict]:
    """The candidates aiortc put in its description, as the protocol's icecandidate JSON strings."""
    found, mid, index = [], None, -1
    for line in sdp.splitlines():
        if line.startswith("m="):
            index += 1
        elif line.startswith("a=mid:"):
            mid = line[len("a=mid:"):]
        elif line.startswith("a=candidate:"):
            found.append({"candidate": line[2:], "sdpMid": mid, "sdpMLineIndex": index})
    return found


async def offer_video(terminal_ws, session: str) -> RTCPeerConnection:
    """The terminal's side: a test-pattern camera, its offer and candidates sent through the daemon, the answer
    applied."""
    connection = peer()
    connection.addTrack(VideoStreamTrack())
    await connection.setLocalDescription(await connection.createOffer())
    sdp = connection.localDescription.sdp
    await send(terminal_ws, {"cmd": "offer", "sn": session, "sessionid": session, "type": "offer", "sdp": sdp,
                             "calltype": 0})
    for candidate in candidates_of(sdp) + [{"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}]:
        await send(terminal_ws, {"cmd": "icecandidate", "sessionid": session, "candidate": json.dumps(candidate),
                                 "calltype": 0})
    answer = await expect(terminal_ws, "answer")
    await connection.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))
    return connection


async def answer_and_watch(phone_ws, session: str) -> tuple[RTCPeerConnection, asyncio.Future]:
    """The phone's side: the relayed offer answered, the relayed candidates applied; returns a future of the
    frames received."""
    connection = peer()
    frames: asyncio.Future = asyncio.get_running_loop().create_future()

    @connection.on("track")
    def on_track(track):
        async def receive():
            received = [await track.recv() for _ in range(FRAMES_WANTED)]
            if not frames.done():
                frames.set_result(received)
        asyncio.ensure_future(receive())

    offer = await expect(phone_ws, "offer")
    assert offer["sessionid"] == session
    await connection.setRemoteDescription(RTCSessionDescription(sdp=offer["sdp"], type="offer"))
    while True:
        message = await expect(phone_ws, "icecandidate")
        inner = json.loads(message["candidate"])
        if not inner["candidate"]:
            break
        candidate = candidate_from_sdp(inner["candidate"][len("candidate:"):])
        candidate.sdpMid, candidate.sdpMLineIndex = inner["sdpMid"], inner["sdpMLineIndex"]
        await connection.addIceCandidate(candidate)
    await connection.setLocalDescription(await connection.createAnswer())
    await send(phone_ws, {"cmd": "answer", "sessionid": session, "type": "answer",
                          "sdp": connection.localDescription.sdp, "calltype": 0})
    await send(phone_ws, {"cmd": "viewready", "sessionid": session, "calltype": 0})
    return connection, frames


async def registered_terminal(daemon, sn: str):
    ws = await connect(daemon.url)
    await send(ws, {"cmd": "reg", "sn": sn, "devinfo": DEVINFO})
    assert (await expect(ws, "reg"))["result"] is True
    return ws


async def intercom_call(daemon) -> None:
    async with connect(f"ws://127.0.0.1:{daemon.phone_port}/") as phone_ws:
        await send(phone_ws, {"cmd": "phonereg", "phonenum": "1001", "enrollid": 7,
                              "secret": PHONES["1001"]["secret"]})
        assert (await expect(phone_ws, "phonereg"))["result"] is True
        terminal_ws = await registered_terminal(daemon, "T1")
        await send(terminal_ws, {"cmd": "talkcall", "sn": "T1", "inputnum": "1001", "inputmode": 2, "landscape": 0,
                                 "calltype": 0})
        assert (await expect(terminal_ws, "talkcall"))["sessionid"] == "T1"
        ring = await expect(phone_ws, "talkring")
        await send(phone_ws, {"cmd": "callaccept", "sessionid": ring["sessionid"], "result": True, "calltype": 0})
        assert (await expect(terminal_ws, "callaccept"))["result"] is True

        terminal_peer, (phone_peer, frames) = await asyncio.gather(
            offer_video(terminal_ws, "T1"), answer_and_watch(phone_ws, "T1"))
        assert (await expect(terminal_ws, "viewready"))["sessionid"] == "T1"
        received = await asyncio.wait_for(frames, 20)
        assert len(received) == FRAMES_WANTED and received[-1].width == 640 and received[-1].height == 480

        await send(phone_ws, {"cmd": "callcancel", "sessionid": "T1", "calltype": 0})
        assert (await expect(terminal_ws, "callcancel"))["sessionid"] == "T1"
        await asyncio.gather(terminal_peer.close(), phone_peer.close())
        await terminal_ws.close()


async def monitoring_session(daemon) -> None:
    terminal_ws = await registered_terminal(daemon, "T2")
    async with connect(f"ws://127.0.0.1:{daemon.phone_port}/") as browser_ws:
        await send(browser_ws, {"cmd": "phonereg", "token": daemon.token})
        assert (await expect(browser_ws, "phonereg"))["result"] is True
        await send(browser_ws, {"cmd": "monitorcall", "sn": "T2", "calltype": 0})
        assert (await expect(browser_ws, "monitorcall"))["result"] is True
        assert (await expect(terminal_ws, "monitorcall"))["sessionid"] == "T2"

        terminal_peer, (browser_peer, frames) = await asyncio.gather(
            offer_video(terminal_ws, "T2"), answer_and_watch(browser_ws, "T2"))
        received = await asyncio.wait_for(frames, 20)
        assert len(received) == FRAMES_WANTED

        await send(browser_ws, {"cmd": "callcancel", "sessionid": "T2", "calltype": 0})
        assert (await expect(terminal_ws, "callcancel"))["sessionid"] == "T2"
        await asyncio.gather(terminal_peer.close(), browser_peer.close())
    await terminal_ws.close()


def test_a_call_through_the_daemon_brings_the_terminals_video_to_the_phone(make_daemon):
    daemon = start_intercom_daemon(make_daemon, ring_timeout=10.0)
    asyncio.run(asyncio.wait_for(intercom_call(daemon), SCENARIO_TIMEOUT))
    assert "intercom call answered" in daemon.log()


def test_a_browser_watching_a_terminal_receives_its_video(make_daemon):
    daemon = start_intercom_daemon(make_daemon)
    asyncio.run(asyncio.wait_for(monitoring_session(daemon), SCENARIO_TIMEOUT))
    assert "terminal watched" in daemon.log()
