"""Passages end to end through real sockets and the CLI: a terminal's grant, then a pulse on the simulated
turnstile input driven with `catraca gpio pulse`, joined by the daemon and exported with `catraca export
passages` (issue 4). Each daemon has its turnstile on `gpio.chip: "simulated"` and a 3 s window."""

from __future__ import annotations

import json
import time

from daemon_process import run_cli
from terminal_client import Terminal, record, record_time, sendlog

ENTRY = "ENTRY1"
EXIT = "EXIT1"
PASS = "PASS1"
WINDOW = 3.0
# The daemon closes windows a settle time (1 s) late, so that a pulse that ends just after a window finds it.
SETTLE = 1.0

PASSAGES_CONFIG = {
    "turnstiles": {
        "main": {"inDirection": "A", "entry": [ENTRY], "exit": [EXIT], "gpio": {"chip": "simulated"}},
    },
    # The records carry fixed 2024 times: grantMaxAgeSeconds 0 takes them as grants (test_41 checks the age rule).
    "passages": {"windowSeconds": WINDOW, "rotationGraceSeconds": 0.5, "bounceGuardMilliseconds": 300,
                 "grantMaxAgeSeconds": 0},
}

# A second turnstile whose terminal runs the TurnstilePass firmware: its records report the turn themselves.
TWO_TURNSTILES_CONFIG = {
    "turnstiles": {
        **PASSAGES_CONFIG["turnstiles"],
        "side": {"inDirection": "A", "entry": [PASS], "reportsTurns": [PASS], "gpio": {"chip": "simulated"}},
    },
    "passages": PASSAGES_CONFIG["passages"],
}


def export_passages(daemon) -> list[dict]:
    text = run_cli("export", "passages", "--db", str(daemon.db), "--format", "jsonl")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def wait_for_passages(daemon, count: int, timeout: float = 10.0) -> list[dict]:
    """Waits until the export holds at least `count` passages; returns them all."""
    deadline = time.monotonic() + timeout
    passages = export_passages(daemon)
    while len(passages) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{count} passages not exported within {timeout} s; have {passages}\n"
                                 + daemon.log()[-3000:])
        time.sleep(0.05)
        passages = export_passages(daemon)
    return passages


def push(terminal: Terminal, sn: str, records: list[dict], logindex: int) -> None:
    """Sends records and waits for their acknowledgement, which comes once they are committed."""
    reply = terminal.request(sendlog(sn, records, logindex))
    assert reply.get("result") is True, reply


def connect(daemon, sn: str) -> Terminal:
    terminal = Terminal(daemon.url)
    assert terminal.register(sn).get("result") is True
    return terminal


def pulse(daemon, line: str, *options: str) -> dict:
    return daemon.cli_ok("gpio", "pulse", line, *options)


def outbox_backlog(daemon) -> int:
    status, body = daemon.api("GET", "/v1/status")
    assert status == 200, body
    return body["outbox"]["backlog"]


def test_a_grant_then_fire_in_is_turned_a_with_the_terminal_person_and_record(make_daemon):
    daemon = make_daemon(PASSAGES_CONFIG)
    with connect(daemon, ENTRY) as terminal:
        push(terminal, ENTRY, [record(1001, record_time(0))], logindex=1)
        backlog_before = outbox_backlog(daemon)
        time.sleep(2.0)
        assert pulse(daemon, "fire-in") == {"turnstile": "main", "line": "fire-in", "ms": 80, "turn": True}
        [passage] = wait_for_passages(daemon, 1)

    [stored] = daemon.export_jsonl()
    assert passage["outcome"] == "turned_a" and passage["direction"] == "A" and passage["side"] == "entry"
    assert (passage["sn"], passage["enrollid"], passage["grant"]) == (ENTRY, 1001, "record")
    assert passage["record_time"] == record_time(0) and passage["record_id"] is not None
    assert stored["enrollid"] == 1001 and passage["turned_at"] is not None
    assert not passage["turned_against_grant"]
    assert "unauthorised rotation" not in daemon.log()

    # The passage is in the outbox beside the record, and the API and the CLI list it.
    assert outbox_backlog(daemon) == backlog_before + 1
    listed = daemon.cli_ok("passages")
    assert listed["passages"] == [passage] and listed["next"] is None
    code, table, err = daemon.cli("passages")
    assert code == 0, err
    assert table.splitlines()[0].split()[:5] == ["ID", "TURNSTILE", "OUTCOME", "DIRECTION", "SIDE"]
    assert "turned_a" in table and ENTRY in table and "1 passages" in table


def test_a_grant_without_a_turn_is_not_turned_after_the_window(make_daemon):
    daemon = make_daemon(PASSAGES_CONFIG)
    with connect(daemon, ENTRY) as terminal:
        push(terminal, ENTRY, [record(1002, record_time(1))], logindex=1)
        granted = time.monotonic()
        time.sleep(WINDOW - 0.5)
        assert export_passages(daemon) == [], "the window closed early"
        [passage] = wait_for_passages(daemon, 1, timeout=WINDOW + SETTLE + 3)
        closed_after = time.monotonic() - granted

    assert passage["outcome"] == "not_turned" and passage["direction"] is None and passage["turned_at"] is None
    assert (passage["sn"], passage["enrollid"]) == (ENTRY, 1002)
    assert WINDOW - 0.5 <= closed_after <= WINDOW + SETTLE + 2


def test_a_turn_without_a_grant_is_an_unauthorised_rotation_and_an_unknown_face_is_no_grant(make_daemon):
    daemon = make_daemon(PASSAGES_CONFIG)
    with connect(daemon, ENTRY) as terminal:
        push(terminal, ENTRY, [record(99999999, record_time(2), event=2)], logindex=1)
        pulse(daemon, "fire-in", "--ms", "120", "--turnstile", "main")
        [passage] = wait_for_passages(daemon, 1)

    assert passage["outcome"] == "unauthorised_rotation" and passage["direction"] == "A"
    assert passage["sn"] is None and passage["enrollid"] is None and passage["grant"] is None
    assert passage["turned_at"] is not None
    warnings = [line for line in daemon.log().splitlines() if "unauthorised rotation" in line]
    assert warnings and all(" warning " in line for line in warnings), warnings


def test_a_grant_on_the_exit_terminal_and_exit_button_is_turned_b_on_the_exit_side(make_daemon):
    daemon = make_daemon(PASSAGES_CONFIG)
    with connect(daemon, EXIT) as terminal:
        push(terminal, EXIT, [record(1003, record_time(3))], logindex=1)
        pulse(daemon, "exit-button")
        [passage] = wait_for_passages(daemon, 1)

    assert passage["outcome"] == "turned_b" and passage["direction"] == "B" and passage["side"] == "exit"
    assert (passage["sn"], passage["enrollid"]) == (EXIT, 1003)
    assert not passage["turned_against_grant"]


def test_two_grants_in_a_row_and_two_turns_are_two_passages_in_order(make_daemon):
    daemon = make_daemon(PASSAGES_CONFIG)
    with connect(daemon, ENTRY) as terminal:
        push(terminal, ENTRY, [record(1004, record_time(4))], logindex=1)
        push(terminal, ENTRY, [record(1005, record_time(5))], logindex=2)
        pulse(daemon, "fire-in")
        time.sleep(0.6)  # past the bounce guard: a second turn, not the first one seen twice
        pulse(daemon, "fire-in")
        passages = wait_for_passages(daemon, 2)

    assert [(p["outcome"], p["enrollid"]) for p in passages] == [("turned_a", 1004), ("turned_a", 1005)]
    assert passages[0]["id"] < passages[1]["id"]
    assert passages[0]["turned_at"] <= passages[1]["turned_at"]


def test_a_turnstile_pass_record_is_a_passage_by_itself(make_daemon):
    daemon = make_daemon(TWO_TURNSTILES_CONFIG)
    # With two turnstiles, a pulse must name its turnstile.
    code, _, err = daemon.cli("gpio", "pulse", "fire-in")
    assert code == 2 and "--turnstile" in err, err
    names = [t["name"] for t in daemon.cli_ok("turnstiles")["turnstiles"]]
    assert names == ["main", "side"]

    with connect(daemon, PASS) as terminal:
        push(terminal, PASS, [record(1006, record_time(6), inout=6)], logindex=1)
        [passage] = wait_for_passages(daemon, 1)

    assert (passage["turnstile"], passage["outcome"], passage["direction"]) == ("side", "turned_a", "A")
    assert (passage["sn"], passage["enrollid"]) == (PASS, 1006)
    assert passage["turned_at"] is None, "no GPIO turn was reported; the record alone is the passage"


def test_a_daemon_killed_inside_a_window_keeps_the_grant_and_counts_one_passage(make_daemon):
    daemon = make_daemon(PASSAGES_CONFIG)
    with connect(daemon, ENTRY) as terminal:
        push(terminal, ENTRY, [record(1007, record_time(7))], logindex=1)
    granted = time.monotonic()
    daemon.kill()
    daemon.start()
    assert "turnstile inputs restored grants=1 rotations=0" in daemon.log()
    pulse(daemon, "fire-in")
    [passage] = wait_for_passages(daemon, 1)
    assert time.monotonic() - granted < WINDOW, "the restart took too long for the test to mean anything"

    assert (passage["outcome"], passage["sn"], passage["enrollid"]) == ("turned_a", ENTRY, 1007)
    # Past the grant's window: nothing more closes, neither a not-turned grant nor an unauthorised turn.
    time.sleep(max(0.0, WINDOW + SETTLE + 0.5 - (time.monotonic() - granted)))
    assert export_passages(daemon) == [passage]
    assert len(daemon.export_jsonl()) == 1
