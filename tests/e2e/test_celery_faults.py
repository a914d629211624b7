"""A worker killed in the middle of a fetch task on the Celery stack: the task is retried and nothing is lost."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.stack import trigger, warehouse_rows
from warehouse.db import read_connection

pytestmark = pytest.mark.celery


def test_killed_worker_task_is_retried_and_nothing_is_lost(stack, filled, tmp_path):
    before = warehouse_rows(stack.settings.db)
    config = Path(stack.env["NEWSMON_CONFIG"])
    original = config.read_text(encoding="utf-8")
    # slow fetching down (tasks read the config when they run) so the kill lands inside a fetch task
    config.write_text(original.replace("per_host_delay_s = 0.3", "per_host_delay_s = 1.5"), encoding="utf-8")
    try:
        run_id = trigger(stack)
        path = f"/api/v2/dags/related_articles/dagRuns/{run_id}/taskInstances"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            fetches = [t for t in stack.request("GET", path)["task_instances"] if t["task_id"] == "fetch"]
            if any(t["state"] == "running" for t in fetches):
                break
            time.sleep(0.5)
        else:
            raise AssertionError("no fetch task ran")
        stack.kill("worker")
        stack.start("worker", "celery", "worker", "--concurrency", "2", "--celery-hostname", "worker3@%h")
        assert stack.wait_run("related_articles", run_id, timeout=400) == "success"
        fetches = [t for t in stack.request("GET", path)["task_instances"] if t["task_id"] == "fetch"]
        assert max(t["try_number"] for t in fetches) >= 2, "the killed fetch task was not retried"
    finally:
        config.write_text(original, encoding="utf-8")
    assert warehouse_rows(stack.settings.db) == before
    with read_connection(stack.settings.db) as con:
        total, distinct, stateless = con.execute(
            "select count(*), count(distinct url), count(*) filter (where state is null) from urls").fetchone()
    assert total == distinct and stateless == 0 and total >= 15
