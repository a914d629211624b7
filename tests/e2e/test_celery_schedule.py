"""Scheduling on the Celery stack: a backfill of two past intervals is idempotent, and two workers keep
each host's politeness."""

from __future__ import annotations

import itertools
import signal
import time
from pathlib import Path

import pytest

from tests.e2e.stack import trigger, warehouse_rows

pytestmark = pytest.mark.celery


def test_backfill_of_two_past_intervals_is_idempotent(stack, filled):
    before = warehouse_rows(stack.settings.db)
    now = time.time()
    start = time.strftime("%Y-%m-%dT%H:00:00Z", time.gmtime(now - 3 * 3600))
    end = time.strftime("%Y-%m-%dT%H:00:00Z", time.gmtime(now - 1 * 3600))
    backfill = stack.request("POST", "/api/v2/backfills", json={
        "dag_id": "related_articles", "from_date": start, "to_date": end, "reprocess_behavior": "completed",
        "max_active_runs": 1})
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline:
        runs = [r for r in stack.runs("related_articles") if r["run_type"] == "backfill"]
        if len(runs) >= 2 and all(r["state"] in ("success", "failed") for r in runs):
            break
        time.sleep(3)
    else:
        raise AssertionError(f"backfill {backfill.get('id')} did not finish")
    assert {r["state"] for r in runs} == {"success"}
    assert warehouse_rows(stack.settings.db) == before


def test_two_workers_keep_per_host_politeness(stack, filled, site):
    """Two hosts (two sample sites on different ports), two workers: each host's fetch shard may run on
    either worker, at the same time as the other's, yet no host sees requests closer than the delay."""
    from sample_site import SampleSite

    config = Path(stack.env["NEWSMON_CONFIG"])
    original = config.read_text(encoding="utf-8")
    second = stack.start("worker2", "celery", "worker", "--concurrency", "2", "--celery-hostname", "worker2@%h")
    with SampleSite() as other:
        seeds = f'seeds = ["{site.url("/news/xi-putin-call")}", "{other.url("/news/taiwan-next-door")}"]'
        # every stored page due again at once, so the first host (already crawled) sees a full round too
        lines = {"seeds": seeds, "revisit_after_s": "revisit_after_s = [0.0]"}
        config.write_text("\n".join(lines.get(line.split(" =")[0], line) for line in original.splitlines()) + "\n",
                          encoding="utf-8")
        try:
            seen = len(site.hits)
            run_id = trigger(stack)
            assert stack.wait_run("related_articles", run_id) == "success"
            for hits in (site.hits[seen:], other.hits):
                stamps = [h.at for h in hits]
                gaps = [b - a for a, b in itertools.pairwise(stamps)]
                assert len(gaps) >= 3 and min(gaps) >= stack.settings.per_host_delay_s - 0.02
        finally:
            config.write_text(original, encoding="utf-8")
            if second.poll() is None:
                stack.kill("worker2", signal.SIGTERM)
    path = f"/api/v2/dags/related_articles/dagRuns/{run_id}/taskInstances"
    fetches = [t for t in stack.request("GET", path)["task_instances"] if t["task_id"] == "fetch"]
    assert len(fetches) == 2  # one mapped fetch task per host
