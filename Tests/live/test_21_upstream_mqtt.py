"""21. The outbox and the MQTT upstream: a real mosquitto broker on 127.0.0.1 that is down while records
arrive, then comes up; a persistent-session subscriber counts entry ids; the daemon killed with -9 during the
drain."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pytest

from daemon_process import run_cli
from load_terminals import push_all

TOKEN = "live-test-token-0123456789"
SITE = "live-site"
OPERATORS = re.compile(r"listening for operators listen=127\.0\.0\.1:(\d+)")
MISSING = "{} is not installed: run `scripts/setup.sh --tests` (Debian packages mosquitto, mosquitto-clients)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if not found:
        pytest.fail(MISSING.format(name))
    return found


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Broker:
    """mosquitto on a fixed loopback port with persistence in its own folder: stopped with SIGTERM (which
    writes the sessions out) and started again, it keeps the port and the persistent sessions."""

    def __init__(self, log_folder: Path):
        self.executable = tool("mosquitto")
        self.port = free_port()
        self.log = log_folder / "broker.log"
        # Started as root, mosquitto drops to the `mosquitto` user, which must write its persistence file here:
        # a folder of its own in /tmp, since pytest's temporary folders are closed to other users.
        self.folder = Path(tempfile.mkdtemp(prefix="catraca-live-mosquitto-"))
        self.folder.chmod(0o777)
        # max_queued_messages 0: no limit on what waits for the subscriber, which may fall behind the drain.
        (self.folder / "mosquitto.conf").write_text("\n".join([
            f"listener {self.port} 127.0.0.1", "allow_anonymous true", "persistence true",
            f"persistence_location {self.folder}/", "max_queued_messages 0", "log_dest stderr", ""]))
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            # A session of its own: signals meant for the test's process group never reach it, SIGTERM does.
            self.process = subprocess.Popen([self.executable, "-c", str(self.folder / "mosquitto.conf")],
                                            stdout=log, stderr=log, start_new_session=True)
        wait_for(self.is_listening, 10, f"mosquitto listening on 127.0.0.1:{self.port}")

    def is_listening(self) -> bool:
        assert self.process and self.process.poll() is None, self.log.read_text()
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Subscriber:
    """`mosquitto_sub` with a persistent session (clean start off, a session that never expires) at QoS 1 on
    `catraca/#`, printing each message's topic, user properties and payload. It reconnects by itself when the
    broker comes back, and the broker keeps what arrived for it meanwhile."""

    def __init__(self, broker: Broker):
        self.broker = broker
        self.output = broker.log.parent / "subscriber.txt"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [tool("mosquitto_sub"), "-V", "mqttv5", "-h", "127.0.0.1", "-p", str(self.broker.port),
                   "-c", "-i", "catraca-live-subscriber", "-q", "1", "-t", "catraca/#", "-F", r"%t\t%P\t%p"]
        with open(self.output, "ab") as output:
            self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.DEVNULL,
                                            start_new_session=True)
        # Subscribed once a probe published after it starts comes back.
        probe = [tool("mosquitto_pub"), "-V", "mqttv5", "-h", "127.0.0.1", "-p", str(self.broker.port), "-q", "1",
                 "-t", "catraca/probe", "-m", "probe"]
        wait_for(lambda: subprocess.run(probe).returncode == 0 and self.saw_probe(), 10, "the subscriber's probe")

    def saw_probe(self) -> bool:
        time.sleep(0.1)
        return any(message["topic"] == "catraca/probe" for message in self.messages())

    def messages(self) -> list[dict]:
        """Every message received, in order: topic, user properties, payload (parsed when it is an entry)."""
        received = []
        for line in self.output.read_text().splitlines():
            topic, properties, payload = line.split("\t", 2)
            pairs = dict(pair.split(":", 1) for pair in properties.split(" ") if pair)
            entry = json.loads(payload) if "entry-id" in pairs else None
            received.append({"topic": topic, "properties": pairs, "payload": entry})
        return received

    def entries(self) -> list[dict]:
        return [message for message in self.messages() if message["payload"] is not None]

    def entry_ids(self) -> set[int]:
        return {int(message["properties"]["entry-id"]) for message in self.entries()}

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def broker(tmp_path):
    made = Broker(tmp_path)
    yield made
    made.remove()


@pytest.fixture
def subscriber(broker):
    made = Subscriber(broker)
    yield made
    made.stop()


def mqtt_config(broker: Broker) -> dict:
    return {
        "site": {"name": SITE},
        "api": {"listen": "127.0.0.1:0", "token": TOKEN},
        "upstream": {"mqtt": {"host": "127.0.0.1", "port": broker.port, "clientId": "catraca-live-test",
                              "keepaliveSeconds": 5, "reconnectDelayMinSeconds": 0.2, "reconnectDelayMaxSeconds": 1,
                              "publishTimeoutSeconds": 10, "batchSize": 100}},
    }


def api(daemon) -> list[str]:
    port = OPERATORS.search(daemon.log()).group(1)
    return ["--api", f"http://127.0.0.1:{port}", "--token", TOKEN]


@pytest.mark.slow
def test_records_stored_while_the_broker_is_down_all_arrive_despite_three_kill_9s(make_daemon, broker, subscriber):
    broker.start()
    subscriber.start()
    broker.stop()

    daemon = make_daemon(mqtt_config(broker))
    runs = asyncio.run(push_all(daemon.url, terminals=10, records=1000, batch_size=50, prefix="MQTT"))
    acknowledged = set().union(*(run.acknowledged_records() for run in runs))
    assert len(acknowledged) == 10_000

    def mqtt_status() -> dict:
        outbox = json.loads(run_cli("outbox", "status", "--json", *api(daemon)))
        assert [transport["name"] for transport in outbox["transports"]] == ["mqtt"]
        return {"backlog": outbox["backlog"], **outbox["transports"][0]}

    assert mqtt_status()["backlog"] == 10_000
    wait_for(lambda: mqtt_status()["last_error"], 10, "the broker's absence in the outbox status")
    down = mqtt_status()
    assert down["connected"] is False and "not connected to the MQTT broker" in down["last_error"]
    table = run_cli("outbox", "status", *api(daemon))
    assert "mqtt" in table and "false" in table

    broker.start()
    wait_for(lambda: mqtt_status()["connected"], 10, "the daemon connected to the broker")
    run_cli("outbox", "retry", *api(daemon))
    for kill_at in (2_000, 4_500, 7_000):
        wait_for(lambda: len(subscriber.entry_ids()) >= kill_at, 30, f"{kill_at} ids at the subscriber")
        daemon.kill()
        daemon.start()
    wait_for(lambda: len(subscriber.entry_ids()) >= 10_000, 30, "every id at the subscriber")

    entries = subscriber.entries()
    ids = [int(message["properties"]["entry-id"]) for message in entries]
    assert set(ids) == set(range(1, 10_001)), "every outbox id arrives, none missing, none unknown"
    by_id = defaultdict(set)
    for entry_id, message in zip(ids, entries):
        payload = message["payload"]
        by_id[entry_id].add((payload["sn"], payload["enrollid"], payload["time"]))
    assert all(len(records) == 1 for records in by_id.values()), "a duplicate is the same entry, never another"
    assert {next(iter(records)) for records in by_id.values()} == acknowledged
    assert all(message["topic"] == f"catraca/{SITE}/records" for message in entries)
    for entry_id, message in zip(ids, entries):
        _, first, last = message["properties"]["batch"].rsplit("-", 2)
        assert int(first) <= entry_id <= int(last), "a batch key names the range its entries come from"

    first_seen_by_terminal = defaultdict(list)
    for entry_id in dict.fromkeys(ids):
        first_seen_by_terminal[next(iter(by_id[entry_id]))[0]].append(entry_id)
    assert all(seen == sorted(seen) for seen in first_seen_by_terminal.values()), "each terminal's entries in order"

    wait_for(lambda: mqtt_status()["backlog"] == 0, 10, "an empty backlog")
    print(f"{len(ids)} messages for {len(set(ids))} ids ({len(ids) - len(set(ids))} duplicates)")
