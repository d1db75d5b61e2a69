"""Site-rule plugins end to end: a plugin's decisions reach a server-ratify terminal's `sendlog` and
`sendqrcode` replies, and plugins that hang, crash, have the wrong ABI or are not libraries cost only their own
calls: the daemon keeps serving terminals and acknowledging records, and says why."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from terminal_client import Terminal, record, record_time, sendlog

REPO = Path(__file__).resolve().parents[2]
TESTING = REPO / "Plugins" / "testing"
INCLUDE = REPO / "Plugins" / "include"


def build_plugin(source: str, folder: Path, library: str, *defines: str) -> Path:
    """Compiles one test plugin with the system C compiler, as an integrator would."""
    folder.mkdir(exist_ok=True)
    target = folder / library
    subprocess.run(["cc", "-shared", "-fPIC", "-Wall", "-I", str(INCLUDE), *defines, "-o", str(target),
                    str(TESTING / source)], check=True)
    return target


def start(make_daemon, folder: Path, **plugins):
    return make_daemon(config_with(**plugins), extra_args=["--plugins-directory", str(folder)])


def config_with(**plugins) -> dict:
    return {"plugins": {"deadlineMilliseconds": 300, **plugins},
            "commands": {"onRegistration": {"setTime": False, "pullNewLogs": False}}}


def wait_for(daemon, predicate, what: str, timeout: float = 10.0) -> list[dict]:
    """Polls GET /v1/plugins until `predicate(plugins)` holds; returns the listing."""
    deadline = time.monotonic() + timeout
    plugins = []
    while time.monotonic() < deadline:
        status, body = daemon.api("GET", "/v1/plugins")
        assert status == 200, body
        plugins = body["plugins"]
        if predicate(plugins):
            return plugins
        time.sleep(0.05)
    raise AssertionError(f"{what} not seen within {timeout} s: {plugins}\n{daemon.log()[-3000:]}")


def by_name(plugins: list[dict]) -> dict[str, dict]:
    return {plugin["name"]: plugin for plugin in plugins}


def running(*names: str):
    return lambda plugins: all(by_name(plugins).get(name, {}).get("state") == "running" for name in names)


def test_a_refused_person_gets_access_0_and_the_message_an_allowed_one_access_1(make_daemon, tmp_path):
    folder = tmp_path / "plugins"
    build_plugin("decide_by_enrollid.c", folder, "libdecide-by-enrollid.so")
    daemon = start(make_daemon, folder)
    wait_for(daemon, running("decide-by-enrollid"), "decide-by-enrollid running")

    with Terminal(daemon.url) as terminal:
        assert terminal.register("PLUG00001")["result"] is True
        refused = terminal.request(sendlog("PLUG00001", [record(1500, record_time(1))], logindex=1))
        assert refused["result"] is True and refused["access"] == 0, refused
        assert refused["message"] == "Refused by test 1500"
        assert refused["fontsize"] == 32 and refused["text_color"] == [255, 0, 0]
        allowed = terminal.request(sendlog("PLUG00001", [record(7, record_time(2))], logindex=2))
        assert allowed["access"] == 1 and allowed["message"] == "Welcome 7", allowed

        # A resend of the refused record gets the same answer, and is stored once.
        again = terminal.request(sendlog("PLUG00001", [record(1500, record_time(1))], logindex=1))
        assert again["access"] == 0 and again["message"] == "Refused by test 1500"

    with Terminal(daemon.url) as refused_terminal:
        answer = refused_terminal.register("REFUSE0001")
        assert answer == {"ret": "reg", "result": False, "reason": "Terminal refused by test"}

    assert len(daemon.export_records()) == 2
    plugin = by_name(wait_for(daemon, running("decide-by-enrollid"), "listing"))["decide-by-enrollid"]
    assert plugin["version"] == "1.0" and plugin["calls"] >= 3 and plugin["restarts"] == 0
    assert "plugin=decide-by-enrollid" in daemon.log() and "decide-by-enrollid opened" in daemon.log()


def test_a_qr_code_is_accepted_once_its_resend_gets_the_first_answer_and_a_later_read_is_refused(make_daemon,
                                                                                                 tmp_path):
    folder = tmp_path / "plugins"
    build_plugin("decide_by_enrollid.c", folder, "libdecide-by-enrollid.so")
    daemon = start(make_daemon, folder, qrcodeResendSeconds=1)
    wait_for(daemon, running("decide-by-enrollid"), "decide-by-enrollid running")

    with Terminal(daemon.url) as terminal:
        assert terminal.register("PLUG00002")["result"] is True
        first = terminal.request({"cmd": "sendqrcode", "sn": "PLUG00002", "record": "VISITOR-1"})
        assert first == {"ret": "sendqrcode", "sn": "PLUG00002", "result": True, "access": 1, "enrollid": 5001,
                         "username": "Visitor", "message": "Welcome visitor"}
        resent = terminal.request({"cmd": "sendqrcode", "sn": "PLUG00002", "record": "VISITOR-1"})
        assert resent == first
        time.sleep(1.2)
        later = terminal.request({"cmd": "sendqgrcode", "sn": "PLUG00002", "record": "VISITOR-1"})
        assert later["access"] == 0 and later["message"] == "Code already used", later
        unknown = terminal.request({"cmd": "sendqrcode", "sn": "PLUG00002", "record": "SOMETHING"})
        assert unknown["access"] == 0 and unknown["message"] == "Unknown QR code"


@pytest.mark.parametrize("source, library, failure", [
    ("sleep_forever.c", "libsleep-forever.so", "deadline"),
    ("null_dereference.c", "libnull-dereference.so", "signal 11"),
])
def test_a_plugin_that_hangs_or_crashes_costs_its_own_calls_and_is_restarted(make_daemon, tmp_path, source,
                                                                             library, failure):
    folder = tmp_path / "plugins"
    build_plugin("decide_by_enrollid.c", folder, "libdecide-by-enrollid.so")
    build_plugin(source, folder, library)
    name = library[3:-3]
    daemon = start(make_daemon, folder, order=[name, "decide-by-enrollid"])
    wait_for(daemon, running("decide-by-enrollid", name), "both plugins running")

    with Terminal(daemon.url) as terminal:
        assert terminal.register("PLUG00003")["result"] is True
        started = time.monotonic()
        ack = terminal.request(sendlog("PLUG00003", [record(7, record_time(1))], logindex=1))
        assert time.monotonic() - started < 2.0
        # The failed call takes the fallback (deny) at its place, before the allowing plugin.
        assert ack["result"] is True and ack["access"] == 0 and ack["message"] == "Try again", ack

        plugins = wait_for(daemon, lambda p: by_name(p)[name]["restarts"] >= 1, f"{name} restarted")
        assert failure in (by_name(plugins)[name]["last_error"] or "")
        if failure == "deadline":
            assert by_name(plugins)[name]["slow_calls"] == 1

        # Terminals are still served and records still acknowledged while it restarts and after.
        for index in range(2, 6):
            ack = terminal.request(sendlog("PLUG00003", [record(7, record_time(index))], logindex=index))
            assert ack["result"] is True
    assert len(daemon.export_records()) == 5
    assert f"plugin={name}" in daemon.log()


def test_a_wrong_abi_and_a_file_that_is_not_a_library_are_skipped_and_the_others_load(make_daemon, tmp_path):
    folder = tmp_path / "plugins"
    build_plugin("decide_by_enrollid.c", folder, "libdecide-by-enrollid.so")
    build_plugin("wrong_abi.c", folder, "libwrong-abi.so")
    (folder / "libnot-a-library.so").write_text("this is not a shared library\n")
    daemon = start(make_daemon, folder)

    plugins = wait_for(daemon, lambda p: [x["state"] for x in p].count("refused") == 2 and running(
        "decide-by-enrollid")(p), "two refused, one running")
    listing = by_name(plugins)
    assert "plugin ABI version 99, host ABI version 1" in listing["wrong-abi"]["last_error"]
    assert "not loadable as a shared library" in listing["not-a-library"]["last_error"]
    log = daemon.log()
    assert "plugin skipped" in log and "plugin ABI version 99, host ABI version 1" in log

    with Terminal(daemon.url) as terminal:
        assert terminal.register("PLUG00004")["result"] is True
        ack = terminal.request(sendlog("PLUG00004", [record(7, record_time(1))], logindex=1))
        assert ack["access"] == 1 and ack["message"] == "Welcome 7"

    status, body = daemon.api("GET", "/v1/status")
    assert status == 200 and len(body["plugins"]) == 3


def test_sighup_and_the_cli_reload_plugins_without_dropping_terminals(make_daemon, tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    daemon = start(make_daemon, folder)
    with Terminal(daemon.url) as terminal:
        assert terminal.register("PLUG00005")["result"] is True
        before = terminal.request(sendlog("PLUG00005", [record(2000, record_time(1))], logindex=1))
        assert before["access"] == 1

        build_plugin("decide_by_enrollid.c", folder, "libdecide-by-enrollid.so")
        daemon.process.send_signal(signal.SIGHUP)
        wait_for(daemon, running("decide-by-enrollid"), "plugin loaded on SIGHUP")
        after = terminal.request(sendlog("PLUG00005", [record(2000, record_time(2))], logindex=2))
        assert after["access"] == 0 and after["message"] == "Refused by test 2000"

        os.remove(folder / "libdecide-by-enrollid.so")
        listing = daemon.cli_ok("plugins", "reload")
        assert listing["plugins"] == []
        gone = terminal.request(sendlog("PLUG00005", [record(2000, record_time(3))], logindex=3))
        assert gone["access"] == 1
    assert daemon.wait_until_connected("PLUG00005", connected=False)


def test_a_registration_refused_by_a_plugin_shuts_the_connection_out_until_a_reg_is_accepted(make_daemon, tmp_path):
    folder = tmp_path / "plugins"
    build_plugin("decide_by_enrollid.c", folder, "libdecide-by-enrollid.so")
    daemon = start(make_daemon, folder)
    wait_for(daemon, running("decide-by-enrollid"), "decide-by-enrollid running")

    with Terminal(daemon.url) as terminal:
        assert terminal.register("REFUSE0002")["result"] is False
        records = terminal.request(sendlog("REFUSE0002", [record(5, record_time(1))], logindex=1))
        assert records == {"ret": "sendlog", "result": False, "reason": "Terminal refused by test"}, records
        qrcode = terminal.request({"cmd": "sendqrcode", "sn": "REFUSE0002", "record": "VISITOR-1"})
        assert qrcode["result"] is False, qrcode
    assert daemon.export_records() == []
    assert daemon.terminal_state("REFUSE0002") is None or not daemon.terminal_state("REFUSE0002").get("registered_at")


def test_a_plugin_with_a_name_that_is_not_allowed_is_refused_and_writes_nothing(make_daemon, tmp_path):
    folder = tmp_path / "plugins"
    escape = tmp_path / "escaped"
    build_plugin("decide_by_enrollid.c", folder, "libescape.so", f'-DTEST_PLUGIN_NAME="../../../../{escape}"')
    daemon = start(make_daemon, folder)

    plugins = wait_for(daemon, lambda p: by_name(p).get("escape", {}).get("state") == "refused", "escape refused")
    assert "is not 1 to 64 of A-Z a-z 0-9 . _ -" in by_name(plugins)["escape"]["last_error"]
    assert not list(tmp_path.glob("escaped*"))
    with Terminal(daemon.url) as terminal:
        assert terminal.register("PLUG00006")["result"] is True
        ack = terminal.request(sendlog("PLUG00006", [record(1500, record_time(1))], logindex=1))
        assert ack["access"] == 1, ack  # it never opened: it has no say


def test_a_plugin_whose_open_crashes_has_no_say_and_is_refused_after_five_starts(make_daemon, tmp_path):
    folder = tmp_path / "plugins"
    build_plugin("open_crash.c", folder, "libopen-crash.so")
    daemon = start(make_daemon, folder)

    with Terminal(daemon.url) as terminal:
        assert terminal.register("PLUG00007")["result"] is True
        ack = terminal.request(sendlog("PLUG00007", [record(7, record_time(1))], logindex=1))
        assert ack["access"] == 1, ack
        # Back-off 1 + 2 + 4 + 8 s between the five starts.
        plugins = wait_for(daemon, lambda p: by_name(p)["open-crash"]["state"] == "refused", "refused", timeout=30)
        assert "failed 5 starts in a row" in by_name(plugins)["open-crash"]["last_error"]
        ack = terminal.request(sendlog("PLUG00007", [record(7, record_time(2))], logindex=2))
        assert ack["access"] == 1, ack
    time.sleep(1.5)  # not started again: its first start and 4 restarts
    assert by_name(wait_for(daemon, lambda p: True, "listing"))["open-crash"]["restarts"] == 4


def test_a_plugin_in_force_keeps_its_say_while_a_reload_restarts_it(make_daemon, tmp_path):
    folder = tmp_path / "plugins"
    build_plugin("decide_by_enrollid.c", folder, "libdecide-by-enrollid.so")
    daemon = start(make_daemon, folder, settings={"decide-by-enrollid": {"round": 0}})
    wait_for(daemon, running("decide-by-enrollid"), "decide-by-enrollid running")

    with Terminal(daemon.url) as terminal:
        assert terminal.register("PLUG00008")["result"] is True
        index = 1
        for round_ in range(1, 4):
            # New settings for the plugin: the reload restarts its host.
            daemon.config.write_text(json.dumps(config_with(settings={"decide-by-enrollid": {"round": round_}})))
            daemon.process.send_signal(signal.SIGHUP)
            for _ in range(15):
                index += 1
                ack = terminal.request(sendlog("PLUG00008", [record(1500, record_time(index))], logindex=index))
                assert ack["result"] is True and ack["access"] == 0, (round_, ack)
            wait_for(daemon, running("decide-by-enrollid"), "running again")
    assert "plugin=decide-by-enrollid" in daemon.log()


def test_without_the_host_executable_one_error_is_logged_and_no_plugin_loads(make_daemon, tmp_path):
    folder = tmp_path / "plugins"
    build_plugin("decide_by_enrollid.c", folder, "libdecide-by-enrollid.so")
    missing = tmp_path / "nowhere" / "catraca-plugin-host"
    daemon = start(make_daemon, folder, hostPath=str(missing))

    plugins = wait_for(daemon, lambda p: p and p[0]["state"] == "refused", "refused")
    assert str(missing) in plugins[0]["last_error"]
    with Terminal(daemon.url) as terminal:
        assert terminal.register("PLUG00009")["result"] is True
        ack = terminal.request(sendlog("PLUG00009", [record(1500, record_time(1))], logindex=1))
        assert ack["access"] == 1, ack
    time.sleep(2.5)
    log = daemon.log()
    assert log.count("plugin host executable") == 1, log[-3000:]
    assert "cannot start" not in log
    assert by_name(wait_for(daemon, lambda p: True, "listing"))["decide-by-enrollid"]["restarts"] == 0


def test_huge_and_forging_plugin_log_lines_are_cut_and_escaped(make_daemon, tmp_path):
    folder = tmp_path / "plugins"
    build_plugin("loud_log.c", folder, "libloud-log.so")
    daemon = start(make_daemon, folder, deadlineMilliseconds=2000)
    wait_for(daemon, running("loud-log"), "loud-log running")

    with Terminal(daemon.url) as terminal:
        assert terminal.register("PLUG00010")["result"] is True
        ack = terminal.request(sendlog("PLUG00010", [record(7, record_time(1))], logindex=1))
        assert ack["access"] == 1, ack
    plugin = by_name(wait_for(daemon, running("loud-log"), "listing"))["loud-log"]
    assert plugin["restarts"] == 0 and plugin["last_error"] is None, plugin
    log = daemon.log()
    assert "message of 4194304 bytes" in log
    lines = log.splitlines()
    assert not [line for line in lines if line.startswith(("FORGED", "\x1b"))], lines[-10:]
    assert not any("\x1b" in line for line in lines)
    forged = [line for line in lines if "FORGED-LINE" in line]
    assert len(forged) == 1 and "evil_key_x_FORGED-KEY=" in forged[0], forged
    assert max(len(line) for line in lines) < 20_000


def test_a_qr_code_a_plugin_accepts_opens_a_window_at_the_turnstile_and_its_resend_opens_none(make_daemon,
                                                                                              tmp_path):
    folder = tmp_path / "plugins"
    build_plugin("decide_by_enrollid.c", folder, "libdecide-by-enrollid.so")
    config = config_with()
    config["turnstiles"] = {"main": {"entry": ["PLUG00011"], "gpio": {"chip": "simulated"}}}
    config["passages"] = {"windowSeconds": 3}
    daemon = make_daemon(config, extra_args=["--plugins-directory", str(folder)])
    wait_for(daemon, running("decide-by-enrollid"), "decide-by-enrollid running")

    with Terminal(daemon.url) as terminal:
        assert terminal.register("PLUG00011")["result"] is True
        first = terminal.request({"cmd": "sendqrcode", "sn": "PLUG00011", "record": "VISITOR-1"})
        assert first["access"] == 1, first
        assert terminal.request({"cmd": "sendqrcode", "sn": "PLUG00011", "record": "VISITOR-1"}) == first
        daemon.cli_ok("gpio", "pulse", "fire-in", "--ms", "80")
        deadline = time.monotonic() + 10
        passages = []
        while time.monotonic() < deadline and not passages:
            passages = daemon.cli_ok("passages")["passages"]
            time.sleep(0.1)
        passage = passages[0]
        assert passage["outcome"] == "turned_a" and passage["side"] == "entry", passage
        assert (passage["sn"], passage["enrollid"], passage["grant"]) == ("PLUG00011", 5001, "server_allow")
        # The resend opened no second window: one more turn is unauthorised.
        time.sleep(0.5)
        daemon.cli_ok("gpio", "pulse", "fire-in", "--ms", "80")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(passages) < 2:
            passages = daemon.cli_ok("passages")["passages"]
            time.sleep(0.1)
        assert sorted(p["outcome"] for p in passages) == ["turned_a", "unauthorised_rotation"], passages
    assert "QR code accepted; a grant at the turnstile" in daemon.log()
