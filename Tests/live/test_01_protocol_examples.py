"""1. The protocol document's own `reg` and `sendlog` examples (sections 1.1 and 1.2) over a real socket."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from terminal_client import DEVINFO, Terminal

CLOUDTIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")

REG_EXAMPLE = {"cmd": "reg", "sn": "ABCD12345678", "devinfo": DEVINFO}

SENDLOG_EXAMPLE = {
    "cmd": "sendlog", "sn": "ABCD12345678", "count": 2, "logindex": 10,
    "record": [
        {"enrollid": 1, "time": "2023-12-23 13:49:30", "mode": 0, "inout": 0, "event": 0, "temp": 36.5,
         "verifymode": 13, "image": "/9j/4AAQSkZJRgABAQ=="},
        {"enrollid": 1, "time": "2023-12-23 13:51:40", "mode": 0, "inout": 1, "event": 0, "temp": 36.5,
         "verifymode": 13, "image": "/9j/4AAQSkZJRgABAQ=="},
    ],
}


def assert_site_time(cloudtime: str, zone: ZoneInfo | None) -> None:
    """`cloudtime` is YYYY-MM-DD HH:MM:SS and within a few seconds of now in `zone` (None: this box's zone)."""
    assert CLOUDTIME.match(cloudtime), cloudtime
    now = datetime.now(zone).replace(tzinfo=None) if zone else datetime.now()
    sent = datetime.strptime(cloudtime, "%Y-%m-%d %H:%M:%S")
    assert abs(sent - now) < timedelta(seconds=5), f"cloudtime {cloudtime} is not the site's time {now}"


def test_reg_example_gets_the_documented_success_reply(daemon):
    with Terminal(daemon.url) as terminal:
        reply = terminal.request(REG_EXAMPLE)

    assert list(reply) == ["ret", "result", "cloudtime", "nosenduser"]
    assert reply["ret"] == "reg" and reply["result"] is True and reply["nosenduser"] is True
    assert_site_time(reply["cloudtime"], zone=None)


def test_sendlog_example_is_acknowledged_with_count_and_logindex_echoed_and_exported(daemon):
    with Terminal(daemon.url) as terminal:
        assert terminal.request(REG_EXAMPLE)["result"] is True
        reply = terminal.request(SENDLOG_EXAMPLE)

    assert list(reply)[:5] == ["ret", "result", "count", "logindex", "cloudtime"]
    assert set(reply) >= {"ret", "result", "count", "logindex", "cloudtime", "access", "message"}
    assert reply["ret"] == "sendlog" and reply["result"] is True
    assert reply["count"] == 2 and reply["logindex"] == 10
    assert reply["access"] == 1
    assert_site_time(reply["cloudtime"], zone=None)

    csv_text = daemon.export_csv_text()
    assert csv_text.startswith("sn,enrollid,time")
    rows = daemon.export_records()
    assert [(r["sn"], r["enrollid"], r["time"], r["inout"], r["verifymode"], r["temperature"], r["has_photo"])
            for r in rows] == [
        ("ABCD12345678", "1", "2023-12-23 13:49:30", "0", "13", "36.5", "1"),
        ("ABCD12345678", "1", "2023-12-23 13:51:40", "1", "13", "36.5", "1"),
    ]


def test_cloudtime_is_in_the_configured_site_time_zone(make_daemon):
    zone = "America/Sao_Paulo"
    daemon = make_daemon({"site": {"timeZone": zone}})

    with Terminal(daemon.url) as terminal:
        registered = terminal.request(REG_EXAMPLE)
        acknowledged = terminal.request(SENDLOG_EXAMPLE)

    assert_site_time(registered["cloudtime"], ZoneInfo(zone))
    assert_site_time(acknowledged["cloudtime"], ZoneInfo(zone))
