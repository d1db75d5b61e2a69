#!/usr/bin/env python3
"""Outbox benchmark: drain rate of a 100,000-entry backlog to a local HTTP sink (or, with --mqtt, a local
mosquitto broker and a persistent-session subscriber), and `sendlog` ack latency with and without a drain under
way. Everything on 127.0.0.1. Uses .build/debug (or $CATRACA_BIN_DIR).

    python3 scripts/bench-outbox.py [--mqtt] [--entries N] [--batch-size N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(os.environ.get("CATRACA_BIN_DIR", REPO / ".build" / "debug"))
LISTEN = re.compile(r"listening for terminals listen=127\.0\.0\.1:(\d+)")


class Sink:
    def __init__(self):
        self.ids: set[int] = set()
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with sink.lock:
                    sink.ids.update(entry["id"] for entry in body["entries"])
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]

    def upstream(self, batch_size: int) -> dict:
        return {"http": {"url": f"http://127.0.0.1:{self.port}/", "batchSize": batch_size}}

    def up(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self) -> int:
        with self.lock:
            return len(self.ids)

    def close(self):
        pass


class BrokerSink:
    """mosquitto on a free loopback port with persistence, and `mosquitto_sub` with a persistent session
    counting entry ids (the `entry-id` user property). Down: the broker is stopped, the subscriber's session
    kept; up: the broker starts again and the subscriber reconnects by itself."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        # Started as root, mosquitto drops to the `mosquitto` user, which must write its persistence file here.
        self.folder = Path(tempfile.mkdtemp(prefix="catraca-bench-mosquitto-"))
        self.folder.chmod(0o777)
        (self.folder / "mosquitto.conf").write_text("\n".join([
            f"listener {self.port} 127.0.0.1", "allow_anonymous true", "persistence true",
            f"persistence_location {self.folder}/", "max_queued_messages 0", ""]))
        self.ids: set[int] = set()
        self.lock = threading.Lock()
        self.broker: subprocess.Popen | None = None
        self.start_broker()
        self.subscriber = subprocess.Popen(
            ["mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", str(self.port), "-c", "-i", "catraca-bench-sub",
             "-q", "1", "-t", "catraca/#", "-F", "%P"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            start_new_session=True)
        threading.Thread(target=self.read_ids, daemon=True).start()
        for _ in range(100):
            subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(self.port), "-V", "mqttv5", "-q", "1",
                            "-t", "catraca/probe", "-m", "probe", "-D", "publish", "user-property", "entry-id", "0"])
            time.sleep(0.1)
            if self.count():
                break
        else:
            self.close()
            sys.exit("the MQTT subscriber did not start")
        self.stop_broker()

    def upstream(self, batch_size: int) -> dict:
        return {"mqtt": {"host": "127.0.0.1", "port": self.port, "reconnectDelayMaxSeconds": 1,
                         "batchSize": batch_size}}

    def start_broker(self):
        self.broker = subprocess.Popen(["mosquitto", "-c", str(self.folder / "mosquitto.conf")],
                                       stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(0.3)

    def stop_broker(self):
        self.broker.terminate()
        self.broker.wait(timeout=10)

    def read_ids(self):
        for line in self.subscriber.stdout:
            pairs = dict(pair.split(":", 1) for pair in line.split() if ":" in pair)
            if "entry-id" in pairs:
                with self.lock:
                    self.ids.add(int(pairs["entry-id"]))

    def up(self):
        self.start_broker()

    def count(self) -> int:
        with self.lock:
            return len(self.ids)

    def close(self):
        self.subscriber.terminate()
        self.stop_broker()
        shutil.rmtree(self.folder, ignore_errors=True)


def emulate(port: int, terminals: int, records: int, prefix: str) -> str:
    result = subprocess.run([str(BIN / "catraca-emulator"), "--server", f"127.0.0.1:{port}", "--terminals",
                             str(terminals), "--records", str(records), "--batch", "50", "--sn", prefix],
                            capture_output=True, text=True, timeout=600)
    return result.stdout + result.stderr


def latency_line(output: str) -> str:
    lines = [line for line in output.splitlines() if "p50" in line or "p99" in line or "latency" in line]
    return " | ".join(lines[-2:]) or output.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--mqtt", action="store_true", help="drain to a local mosquitto broker instead")
    options = parser.parse_args()

    sink = BrokerSink() if options.mqtt else Sink()
    folder = Path(tempfile.mkdtemp(prefix="catraca-bench-outbox-"))
    config = folder / "catraca.json5"
    config.write_text(json.dumps({"api": {"listen": "127.0.0.1:0", "token": "bench-token-0123456789"},
                                  "upstream": sink.upstream(options.batch_size)}))
    log = open(folder / "daemon.log", "wb")
    daemon = subprocess.Popen([str(BIN / "catraca"), "run", "--listen", "127.0.0.1:0", "--db",
                               str(folder / "catraca.db"), "--config", str(config), "--log-level", "info"],
                              stderr=log)
    try:
        port = None
        for _ in range(200):
            match = LISTEN.search((folder / "daemon.log").read_text(errors="replace"))
            if match:
                port = int(match.group(1))
                break
            time.sleep(0.05)
        if port is None:
            sys.exit("the daemon did not start; see " + str(folder / "daemon.log"))

        terminals = 20
        began = time.monotonic()
        emulate(port, terminals, options.entries // terminals, "BKLG")
        print(f"backlog of {options.entries} records stored (sink down) in {time.monotonic() - began:.1f} s")

        quiet = latency_line(emulate(port, 5, 2_000, "QUIET"))
        baseline = sink.count()

        sink.up()
        began = time.monotonic()
        subprocess.run([str(BIN / "catraca"), "outbox", "retry", "--api", "http://127.0.0.1:" +
                        re.search(r"listening for operators listen=127\.0\.0\.1:(\d+)",
                                  (folder / "daemon.log").read_text()).group(1),
                        "--token", "bench-token-0123456789"], capture_output=True)
        busy = latency_line(emulate(port, 5, 2_000, "BUSY"))
        total = options.entries + 10_000 + 10_000
        while sink.count() < total and time.monotonic() - began < 300:
            time.sleep(0.05)
        elapsed = time.monotonic() - began
        print(f"drained {sink.count() - baseline} entries in {elapsed:.1f} s "
              f"({(sink.count() - baseline) / elapsed:,.0f} entries/s, batch size {options.batch_size})")
        print(f"sendlog acks, no drain:     {quiet}")
        print(f"sendlog acks, during drain: {busy}")
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        sink.close()


if __name__ == "__main__":
    main()
