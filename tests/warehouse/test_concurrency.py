"""Readers keep working while the single writer loads: zero failed reads, zero failed loads, and no
read that starts after a load has ended sees data older than that load."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from newsmon.stage import load_batch
from tests.warehouse.concurrency_worker import batch
from warehouse.db import publish, read_connection

LOADS = 12
ROOT = Path(__file__).resolve().parents[2]


def worker(*args):
    return subprocess.Popen([sys.executable, "-m", "tests.warehouse.concurrency_worker", *map(str, args)],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_reads_and_loads_run_concurrently(tmp_path):
    db, stop = tmp_path / "w.duckdb", tmp_path / "stop"
    load_batch(db, batch(tmp_path / "b-first", 0))  # the warehouse exists before readers start
    publish(db)
    readers = [worker("reader", db, stop, tmp_path / f"reads{i}.json") for i in range(2)]
    time.sleep(0.5)
    writer = worker("writer", db, tmp_path, LOADS, tmp_path / "loads.json")
    try:
        assert writer.wait(timeout=240) == 0, writer.stdout.read()
        time.sleep(0.3)
    finally:
        stop.touch()
        for r in readers:
            r.wait(timeout=60)
    loads = json.loads((tmp_path / "loads.json").read_text())
    reads = [r for i in range(2) for r in json.loads((tmp_path / f"reads{i}.json").read_text())]

    assert [err for _, _, err in loads if err] == []
    assert [err for _, _, err in reads if err] == []
    assert len(reads) > 20, "the readers hardly ran"
    for started, seen, _ in reads:
        finished_before = [n for ended, n, _ in loads if ended <= started]
        if finished_before:
            assert seen >= max(finished_before), "a read saw data older than a load that had ended"
    with read_connection(db) as con:
        assert con.execute("select count(*) from articles").fetchone()[0] == LOADS
