"""The disk filling up during the load (RLIMIT_FSIZE in the run's process): the disk error itself is
reported, nothing is lost, and the next run stores everything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_settings, read_rows, write_config

RUN_WITH_FULL_DISK_AT_LOAD = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
import warehouse.load
real, limit = warehouse.load.load_batch, int(sys.argv[2])
def load_on_a_full_disk(*args, **kw):
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    return real(*args, **kw)
warehouse.load.load_batch = load_on_a_full_disk
from newsmon.cli import main
sys.argv = ["newsmon", "run", "--config", sys.argv[1]]
main()
"""


@pytest.mark.parametrize("limit", [30_000, 100_000], ids=["while-migrating", "at-commit"])
def test_a_full_disk_during_the_load_loses_nothing(tmp_path, site, limit):
    settings = make_settings(tmp_path, site)
    config = write_config(tmp_path / "newsmon.toml", settings)
    full = subprocess.run([sys.executable, "-c", RUN_WITH_FULL_DISK_AT_LOAD, str(config), str(limit)],
                          capture_output=True, text=True, timeout=300, env=os.environ.copy())
    assert full.returncode == 1, full.stderr
    assert "stage load" in full.stderr and "stage checks" not in full.stderr
    assert "File too large" in full.stderr, full.stderr  # the disk error itself, named
    assert "run failed in stage load: the disk is full" in full.stderr and str(settings.db) in full.stderr
    assert "cannot rollback" not in full.stderr
    staging = Path(settings.data_dir) / "staging"
    assert [p.name for p in staging.iterdir() if (p / "FAILED").exists()]  # kept for diagnosis

    again = subprocess.run([sys.executable, "-m", "newsmon", "run", "--config", str(config)],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "stored 8" in again.stderr
    assert read_rows(settings.db, "select count(*) from articles") == [(8,)]
