"""Records from long ago are stored but open no turnstile window: a terminal that sends what it kept through an
outage must not let later turns pass as those people (passages.grantMaxAgeSeconds, 300 s by default)."""

from __future__ import annotations

from datetime import datetime, timedelta

from terminal_client import record
from test_40_passages import connect, export_passages, pulse, push, wait_for_passages

CONFIG = {
    "site": {"timeZone": "America/Sao_Paulo"},
    "turnstiles": {"main": {"inDirection": "A", "entry": ["AGE000001"], "gpio": {"chip": "simulated"}}},
    "passages": {"windowSeconds": 3, "rotationGraceSeconds": 0.5},
    "commands": {"onRegistration": {"setTime": False, "pullNewLogs": False}},
}


def site_now() -> datetime:
    """The box's time in the site's zone (America/Sao_Paulo is UTC-3 all year)."""
    return datetime.utcnow() - timedelta(hours=3)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def test_a_record_from_days_ago_opens_no_window_and_one_from_now_does(make_daemon):
    daemon = make_daemon(CONFIG)
    terminal = connect(daemon, "AGE000001")
    try:
        push(terminal, "AGE000001", [record(41, stamp(site_now() - timedelta(days=3)))], logindex=1)
        pulse(daemon, "fire-in")
        [stale] = wait_for_passages(daemon, 1)
        assert stale["outcome"] == "unauthorised_rotation", stale

        push(terminal, "AGE000001", [record(42, stamp(site_now()))], logindex=2)
        pulse(daemon, "fire-in")
        passages = wait_for_passages(daemon, 2)
        assert passages[1]["outcome"] == "turned_a" and passages[1]["enrollid"] == 42, passages
    finally:
        terminal.close()
    assert len(daemon.export_records()) == 2, "both records are stored"
    assert [p["outcome"] for p in export_passages(daemon)] == ["unauthorised_rotation", "turned_a"]
