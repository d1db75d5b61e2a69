"""scripts/install.sh into a staging root (DESTDIR): the layout a package or a real install gets."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from daemon_process import CATRACA, REPO

INSTALL = REPO / "scripts" / "install.sh"


def install(root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(INSTALL), "--binary", str(CATRACA), *args], capture_output=True, text=True,
                          env={**os.environ, "DESTDIR": str(root)}, timeout=60)


def test_install_into_a_destdir_lays_out_binary_host_config_unit_udev_sysusers_and_plugin_folders(tmp_path):
    root = tmp_path / "root"
    result = install(root, "--prefix", "/usr")
    assert result.returncode == 0, result.stderr

    binary = root / "usr/bin/catraca"
    assert os.access(binary, os.X_OK)
    assert subprocess.run([str(binary), "version"], capture_output=True, text=True).stdout.strip()
    assert (root / "usr/lib/catraca/plugins").is_dir()
    assert list((root / "usr/lib/catraca/plugins").iterdir()) == []  # examples are enabled by copying them
    assert os.access(root / "usr/bin/catraca-plugin-host", os.X_OK)
    examples = root / "usr/share/catraca/plugins-examples"
    assert sorted(p.name for p in examples.iterdir()) == [
        "libanti-passback.so", "liboccupancy.so", "libschedule.so", "libvisitor-qr.so"]
    assert (root / "etc/catraca/catraca.json5").read_text() == (REPO / "etc/catraca.json5").read_text()
    assert oct((root / "etc/catraca/catraca.json5").stat().st_mode & 0o777) == "0o640"
    unit = (root / "etc/systemd/system/catraca.service").read_text()
    assert "ExecStart=/usr/bin/catraca run --config /etc/catraca/catraca.json5" in unit
    for setting in ("Type=notify", "WatchdogSec=", "Restart=on-failure", "StateDirectory=catraca",
                    "ConfigurationDirectory=catraca", "User=catraca", "SupplementaryGroups=gpio",
                    "DeviceAllow=char-gpiochip rw", "ProtectSystem=strict", "CapabilityBoundingSet=\n"):
        assert setting in unit, setting
    assert 'GROUP="gpio"' in (root / "etc/udev/rules.d/60-catraca-gpio.rules").read_text()
    assert "m catraca gpio" in (root / "usr/lib/sysusers.d/catraca.conf").read_text()
    assert "staged" in result.stdout


def test_a_config_already_there_is_kept(tmp_path):
    root = tmp_path / "root"
    config = root / "etc/catraca/catraca.json5"
    config.parent.mkdir(parents=True)
    config.write_text("{ site: { name: 'mine' } }")

    result = install(root)
    assert result.returncode == 0, result.stderr
    assert config.read_text() == "{ site: { name: 'mine' } }"
    assert "kept" in result.stdout
    assert (root / "usr/local/bin/catraca").exists()
    assert "ExecStart=/usr/local/bin/catraca " in (root / "etc/systemd/system/catraca.service").read_text()


def test_the_unit_passes_systemd_analyze_verify_where_available(tmp_path):
    root = tmp_path / "root"
    assert install(root, "--prefix", "/usr").returncode == 0
    analyze = subprocess.run(["which", "systemd-analyze"], capture_output=True, text=True).stdout.strip()
    if not analyze:
        pytest.skip("systemd-analyze is not installed")
    unit = root / "etc/systemd/system/catraca.service"
    result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True)
    # The only complaint allowed is that the staged binary is not at its final path yet.
    problems = [line for line in result.stderr.splitlines() if "is not executable" not in line and line.strip()]
    assert not problems, problems



def test_an_installed_catraca_loads_an_example_plugin_from_its_prefix_with_the_host_beside_it(tmp_path):
    root = tmp_path / "root"
    assert install(root, "--prefix", "/opt/site").returncode == 0
    prefix = root / "opt/site"
    shutil.copy(prefix / "share/catraca/plugins-examples/libanti-passback.so", prefix / "lib/catraca/plugins")
    config = tmp_path / "catraca.json5"
    config.write_text('{ plugins: { settings: { "anti-passback": { entry: ["E1"], exit: ["X1"] } } } }')
    daemon = subprocess.Popen([str(prefix / "bin/catraca"), "run", "--config", str(config), "--listen",
                               "127.0.0.1:0", "--api-listen", "127.0.0.1:0", "--db", str(tmp_path / "db.sqlite3")],
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 15
        lines = []
        while time.monotonic() < deadline:
            line = daemon.stderr.readline()
            lines.append(line)
            if "plugin running" in line:
                break
        assert "plugin running" in lines[-1], "".join(lines)
        assert f"library={prefix}/lib/catraca/plugins/libanti-passback.so" in lines[-1]
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
