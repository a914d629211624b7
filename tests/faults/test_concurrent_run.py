"""A second `newsmon run` on a warehouse while one runs is refused at once, naming the other run."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

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


def test_one_lock_per_warehouse_whatever_path_leads_to_it(tmp_path):
    import os

    from core.config import Settings
    from newsmon.pipeline import RunInProgress, run_lock, run_lock_path

    real = tmp_path / "store" / "newsmon.duckdb"
    real.parent.mkdir()
    (tmp_path / "linked").symlink_to(real.parent)  # a symlinked folder
    (tmp_path / "alias.duckdb").symlink_to(real)  # a symlinked file, created before the warehouse exists
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        spellings = [real, tmp_path / "linked" / "newsmon.duckdb", tmp_path / "alias.duckdb",
                     "store/newsmon.duckdb", "./linked/../store/newsmon.duckdb"]
        assert {run_lock_path(p) for p in spellings} == {real.with_name("newsmon.duckdb.run.lock")}
        with run_lock(Settings(seeds=["https://n.example/a"], db=real), "first"):
            for other in spellings[1:]:
                with pytest.raises(RunInProgress, match="first"), \
                        run_lock(Settings(seeds=["https://n.example/a"], db=other), "second"):
                    pass
    finally:
        os.chdir(here)
