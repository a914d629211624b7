"""A second `newsmon run` on a warehouse while one runs is refused at once, naming the other run."""

from __future__ import annotations

import subprocess
import sys
import time

from tests.conftest import make_settings, write_config


def test_a_second_run_is_refused_at_once(tmp_path, fresh_site):
    # slow politeness keeps the first run busy for several seconds
    config = write_config(tmp_path / "newsmon.toml", make_settings(tmp_path, fresh_site, per_host_delay_s=0.5))
    lock = tmp_path / "newsmon.duckdb.run.lock"
    first = subprocess.Popen([sys.executable, "-m", "newsmon", "run", "--config", str(config)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.05)
        holder = lock.read_text().strip()
        assert holder.startswith("manual__") and f"pid {first.pid}" in holder
        started = time.monotonic()
        second = subprocess.run([sys.executable, "-m", "newsmon", "run", "--config", str(config)],
                                capture_output=True, text=True, timeout=120)
        took = time.monotonic() - started
        assert second.returncode == 3
        assert "refused: another newsmon run is working on" in second.stderr and holder.split()[0] in second.stderr
        assert took < 15  # at once: no crawl, no wait on the warehouse
        assert first.poll() is None, "the first run should still be working"
    finally:
        out = first.communicate(timeout=300)[1]
    assert first.returncode == 0, out
    assert lock.read_text() == ""  # released
