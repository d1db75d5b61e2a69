"""`GET /metrics`: Prometheus' parser reads it, and the counters match what emulated terminals sent."""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request

from load_terminals import TerminalRun, make_batches, push
from metrics_scrape import scrape, scrape_text, status_without_token, value
from prometheus_client.parser import text_string_to_metric_families
from terminal_client import Terminal, record, sendlog

API_ON_ANY_PORT = ["--api-listen", "127.0.0.1:0"]


def test_metrics_need_the_token(make_daemon):
    daemon = make_daemon(extra_args=API_ON_ANY_PORT)
    daemon.wait_for_api_port()
    assert status_without_token(daemon) == 401


def test_counters_match_what_the_terminals_sent(make_daemon):
    daemon = make_daemon({"terminals": {"allowList": {f"MET{n:04d}": {} for n in range(1, 4)}}},
                         extra_args=API_ON_ANY_PORT)
    daemon.wait_for_api_port()
    runs = [TerminalRun(f"MET{n:04d}", make_batches(300, 20)) for n in range(1, 4)]

    async def push_all() -> None:
        await asyncio.gather(*(push(daemon.url, run, window=2) for run in runs))
    asyncio.run(push_all())

    with Terminal(daemon.url) as stranger:
        assert stranger.register("NOTALLOWED")["result"] is False
    with Terminal(daemon.url) as terminal:
        assert terminal.register("MET0001")["result"] is True
        again = [record(1, "1999-01-01 00:00:00"), record(2, "1999-01-01 00:00:01")]
        assert terminal.request(sendlog("MET0001", again, logindex=900))["result"] is True
        assert terminal.request(sendlog("MET0001", again, logindex=902))["result"] is True
        broken = [{"enrollid": "not a number", "time": "never"}]
        assert terminal.request(sendlog("MET0001", broken, logindex=904))["result"] is True
        connected = scrape(daemon)

    samples = scrape(daemon)
    pushed = sum(len(batch.records) for run in runs for batch in run.batches)
    assert value(samples, "catraca_records_received_total") == pushed + 5
    assert value(samples, "catraca_records_stored_total") == pushed + 2
    assert value(samples, "catraca_records_duplicate_total") == 2
    assert value(samples, "catraca_records_quarantined_total") == 1
    assert value(samples, "catraca_terminal_registrations_total", outcome="accepted") == 4
    assert value(samples, "catraca_terminal_registrations_total", outcome="refused") == 1
    assert value(connected, "catraca_terminal_connections") == 1
    assert value(samples, "catraca_build_info", version=next(
        dict(labels)["version"] for (name, labels) in samples if name == "catraca_build_info")) == 1

    acks = sum(len(run.acknowledged) for run in runs) + 3
    assert value(samples, "catraca_sendlog_ack_seconds_count") == acks
    assert value(samples, "catraca_sendlog_ack_seconds_bucket", le="+Inf") == acks
    assert value(samples, "catraca_sendlog_ack_seconds_sum") > 0
    assert value(samples, "catraca_store_commit_seconds_count") >= 1
    assert value(samples, "catraca_store_failed_commits_total") == 0


def test_commands_are_counted_by_name_and_outcome(make_daemon):
    daemon = make_daemon(extra_args=API_ON_ANY_PORT)
    daemon.wait_for_api_port()
    with Terminal(daemon.url) as terminal:
        assert terminal.register("GONE0001")["result"] is True

    def command(sn: str) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{daemon.api_port}/v1/terminals/{sn}/commands/getdevinfo?timeout=2",
            data=b"{}", method="POST", headers={"Authorization": f"Bearer {daemon.api_token()}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    deadline = time.monotonic() + 5
    while value(scrape(daemon), "catraca_terminal_connections") != 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert command("NOSUCH01") == 404
    assert command("GONE0001") == 409
    assert command("GONE0001") == 409
    samples = scrape(daemon)
    assert value(samples, "catraca_commands_total", command="getdevinfo", outcome="unknown") == 1
    assert value(samples, "catraca_commands_total", command="getdevinfo", outcome="offline") == 2


def test_the_exposition_follows_the_text_format(make_daemon):
    daemon = make_daemon(extra_args=API_ON_ANY_PORT)
    daemon.wait_for_api_port()
    text = scrape_text(daemon)
    families = {family.name: family for family in text_string_to_metric_families(text)}

    assert families["catraca_sendlog_ack_seconds"].type == "histogram"
    assert families["catraca_records_received"].type == "counter"
    assert families["catraca_terminal_connections"].type == "gauge"
    for line in text.splitlines():
        assert len(line) > 0 and not line.endswith(" ")
    assert "# TYPE catraca_records_stored_total counter" in text
