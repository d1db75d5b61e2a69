"""Scrapes the daemon's `GET /metrics` with its bearer token and parses it with Prometheus' own parser."""

from __future__ import annotations

import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def scrape_text(daemon, token: str | None = None) -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{daemon.api_port}/metrics",
                                     headers={"Authorization": f"Bearer {token or daemon.api_token()}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        return response.read().decode()


def scrape(daemon) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample as {(name, sorted labels): value}."""
    samples = {}
    for family in text_string_to_metric_families(scrape_text(daemon)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def status_without_token(daemon) -> int:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{daemon.api_port}/metrics", timeout=10)
    except urllib.error.HTTPError as error:
        return error.code
    return 200
