"""20. The outbox and the HTTP upstream: a real sink on 127.0.0.1 that is down while records arrive, then
comes up; the daemon killed with -9 during the drain; 500, 429 with Retry-After and 400 as promised."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
import urllib.request
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from daemon_process import run_cli
from load_terminals import push_all

TOKEN = "live-test-token-0123456789"
SINK_TOKEN = "sink-token-abcdef"
OPERATORS = re.compile(r"listening for operators listen=127\.0\.0\.1:(\d+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """An HTTP sink on a fixed loopback port that can be taken down and brought up, answering from a script
    (then 200), and remembering every request: its time, key and entries."""

    def __init__(self, port: int, delay: float = 0.0):
        self.port = port
        self.delay = delay
        self.script: list[tuple[int, dict]] = []
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    def up(self) -> None:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with sink.lock:
                    status, headers = sink.script.pop(0) if sink.script else (200, {})
                    sink.requests.append({"at": time.monotonic(), "key": self.headers["Idempotency-Key"],
                                          "auth": self.headers["Authorization"], "status": status, "body": body})
                if sink.delay:
                    time.sleep(sink.delay)
                answer = b'{"error":"refused by the test sink"}' if status >= 400 else b"{}"
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def delivered_ids(self) -> list[int]:
        with self.lock:
            return [entry["id"] for request in self.requests if request["status"] < 300
                    for entry in request["body"]["entries"]]


@pytest.fixture
def sink():
    made = Sink(free_port())
    yield made
    made.down()


def upstream_config(sink: Sink, batch_size: int) -> dict:
    return {
        "site": {"name": "live-site"},
        "api": {"listen": "127.0.0.1:0", "token": TOKEN},
        "upstream": {"http": {"url": f"http://127.0.0.1:{sink.port}/ingest", "token": SINK_TOKEN,
                              "timeoutSeconds": 5, "batchSize": batch_size}},
    }


def api(daemon) -> list[str]:
    port = OPERATORS.search(daemon.log()).group(1)
    return ["--api", f"http://127.0.0.1:{port}", "--token", TOKEN]


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.mark.slow
def test_records_stored_while_the_sink_is_down_all_arrive_despite_three_kill_9s(make_daemon, sink):
    daemon = make_daemon(upstream_config(sink, batch_size=100))
    runs = asyncio.run(push_all(daemon.url, terminals=10, records=1000, batch_size=50, prefix="OUTB"))
    acknowledged = set().union(*(run.acknowledged_records() for run in runs))
    assert len(acknowledged) == 10_000

    def outbox_status() -> dict:
        return json.loads(run_cli("outbox", "status", "--json", *api(daemon)))

    assert outbox_status()["backlog"] == 10_000
    # The forwarder looks for new entries every 250 ms: its first try at the sink may still be on its way.
    wait_for(lambda: outbox_status()["transports"][0]["last_error"], 10, "the sink's refusal in the outbox status")

    sink.delay = 0.01
    sink.up()
    run_cli("outbox", "retry", *api(daemon))
    for kill_at in (2_000, 4_500, 7_000):
        wait_for(lambda: len(set(sink.delivered_ids())) >= kill_at, 40, f"{kill_at} ids upstream")
        daemon.kill()
        daemon.start()
    wait_for(lambda: len(set(sink.delivered_ids())) >= 10_000, 40, "every id upstream")

    ids = sink.delivered_ids()
    assert set(ids) == set(range(1, 10_001)), "every outbox id arrives, none missing, none unknown"
    received = {(entry["payload"]["sn"], entry["payload"]["enrollid"], entry["payload"]["time"])
                for request in sink.requests for entry in request["body"]["entries"]}
    assert received == acknowledged
    entries_by_key = defaultdict(set)
    for request in sink.requests:
        entries_by_key[request["key"]].add(tuple(entry["id"] for entry in request["body"]["entries"]))
    assert all(len(contents) == 1 for contents in entries_by_key.values()), "a key always names the same entries"
    assert all(request["auth"] == f"Bearer {SINK_TOKEN}" for request in sink.requests)
    assert all(request["body"]["site"] == "live-site" for request in sink.requests)

    per_terminal = defaultdict(list)
    for request in sink.requests:
        for entry in request["body"]["entries"]:
            per_terminal[entry["sn"]].append(entry["id"])
    first_seen = {sn: list(dict.fromkeys(seen)) for sn, seen in per_terminal.items()}
    assert all(seen == sorted(seen) for seen in first_seen.values()), "each terminal's entries go out in order"

    wait_for(lambda: json.loads(run_cli("outbox", "status", "--json", *api(daemon)))["backlog"] == 0, 10,
             "an empty backlog")


def test_500_then_429_with_retry_after_are_retried_and_400_is_parked_until_an_operator_retries(make_daemon, sink):
    sink.script = [(500, {}), (429, {"Retry-After": "2"}), (200, {})]
    sink.up()
    daemon = make_daemon(upstream_config(sink, batch_size=500))
    asyncio.run(push_all(daemon.url, terminals=1, records=10, batch_size=10, prefix="RTRY"))

    wait_for(lambda: len(sink.requests) >= 3, 20, "three tries of the first batch")
    first, second, third = sink.requests[:3]
    assert first["key"] == second["key"] == third["key"]
    assert 0.4 <= second["at"] - first["at"] <= 3.0, "back-off of about a second after a 500"
    assert third["at"] - second["at"] >= 1.9, "Retry-After: 2 honoured"
    assert [request["status"] for request in sink.requests[:3]] == [500, 429, 200]

    sink.script = [(400, {})]
    asyncio.run(push_all(daemon.url, terminals=1, records=5, batch_size=5, prefix="PARK"))
    wait_for(lambda: len(sink.requests) >= 4, 10, "the second batch")
    refused_key = sink.requests[3]["key"]
    time.sleep(1.5)
    assert [request["key"] for request in sink.requests].count(refused_key) == 1, "a 400 is not retried"

    parked = json.loads(run_cli("outbox", "parked", "--json", *api(daemon)))["parked"]
    assert [batch["key"] for batch in parked] == [refused_key]
    assert parked[0]["reason"].startswith("HTTP 400")
    table = run_cli("outbox", "parked", *api(daemon))
    assert refused_key in table and "HTTP 400" in table

    # Parked entries are part of the backlog, for the status, the alarm and the metrics alike.
    status = json.loads(run_cli("outbox", "status", "--json", *api(daemon)))
    assert status["backlog"] == 5 and status["parked_entries"] == 5, status
    assert status["oldest_undelivered_age_seconds"] is not None
    wait_for(lambda: outbox_metrics(daemon).get("catraca_outbox_parked_batches") == 1, 10, "the parked gauge")
    assert outbox_metrics(daemon)["catraca_outbox_backlog_entries"] == 5

    run_cli("outbox", "retry", "--parked", *api(daemon))
    wait_for(lambda: [r["key"] for r in sink.requests].count(refused_key) == 2, 10, "the parked batch sent again")
    wait_for(lambda: json.loads(run_cli("outbox", "parked", "--json", *api(daemon)))["parked"] == [], 10,
             "no parked batch left")
    assert sorted(set(sink.delivered_ids())) == list(range(1, 16))
    wait_for(lambda: outbox_metrics(daemon).get("catraca_outbox_backlog_entries") == 0, 10, "an empty backlog")
    assert outbox_metrics(daemon)['catraca_outbox_delivered_entries_total{transport="http"}'] == 15


def outbox_metrics(daemon) -> dict[str, float]:
    """The `catraca_outbox_*` series of `GET /metrics`, by name with labels."""
    port = OPERATORS.search(daemon.log()).group(1)
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics",
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    series = [line.rsplit(" ", 1) for line in text.splitlines() if line.startswith("catraca_outbox_")]
    return {name: float(value) for name, value in series}
