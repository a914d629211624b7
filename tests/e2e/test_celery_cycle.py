"""A triggered run on the Celery stack fills the warehouse and runs entity_trends; the same run with data_dir
on S3 and two machines gives the same rows; clearing and rerunning it changes none."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.conftest import write_config
from tests.e2e.stack import SERVICES, stable_rows, trigger, warehouse_rows

pytestmark = pytest.mark.celery


def test_triggered_run_fills_the_warehouse_and_runs_entity_trends(stack):
    run_id = trigger(stack)
    assert stack.wait_run("related_articles", run_id) == "success"
    rows = warehouse_rows(stack.settings.db)
    assert len(rows["articles"]) == 8
    assert any(e[1] == "Xi Jinping" for e in rows["entities"])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        asset_runs = [r for r in stack.runs("entity_trends") if r["run_type"] == "asset_triggered"]
        if any(r["state"] == "success" for r in asset_runs):
            break
        time.sleep(2)
    else:
        raise AssertionError("entity_trends did not run from the warehouse Asset event")


def test_data_dir_on_s3_with_a_fetch_machine_and_a_warehouse_machine(stack, tmp_path):
    """data_dir on a real S3 server (moto, a process on 127.0.0.1); two workers as two machines, each in
    a local folder of its own: the fetch machine (default queue) never sees the DuckDB file, the warehouse
    machine (warehouse queue) holds it. The run gives the rows of the single-machine run."""
    from tests.s3server import S3Server

    single = stable_rows(stack.settings.db)
    fetch_home, warehouse_home = tmp_path / "fetch-machine", tmp_path / "warehouse-machine"
    fetch_home.mkdir()
    warehouse_home.mkdir()
    with S3Server() as s3:
        bucket = s3.bucket()
        settings = stack.settings.model_copy(update={"data_dir": f"s3://{bucket}/newsmon",
                                                     "db": Path("var/newsmon.duckdb")})  # relative: per machine
        config = write_config(tmp_path / "s3.toml", settings)
        env = {**s3.env, "NEWSMON_CONFIG": str(config)}
        stack.kill("worker", signal.SIGTERM)
        stack.kill("warehouse-worker", signal.SIGTERM)
        try:
            stack.start("fetch-machine", "celery", "worker", "--concurrency", "2", "--celery-hostname",
                        "fetch-machine@%h", cwd=fetch_home, env=env)
            stack.start("warehouse-machine", *SERVICES["warehouse-worker"], "--celery-hostname",
                        "warehouse-machine@%h", cwd=warehouse_home, env=env)
            run_id = trigger(stack)
            assert stack.wait_run("related_articles", run_id) == "success"
            keys = s3.keys(bucket)
        finally:
            for name in ("fetch-machine", "warehouse-machine"):
                if name in stack.procs:
                    stack.kill(name, signal.SIGTERM)
            stack.start("worker", *SERVICES["worker"])
            stack.start("warehouse-worker", *SERVICES["warehouse-worker"])
    assert stable_rows(warehouse_home / "var" / "newsmon.duckdb") == single
    assert not (fetch_home / "var").exists()  # the fetch machine never opened a DuckDB file
    assert any(k.startswith("newsmon/raw/") for k in keys)
    assert not [k for k in keys if k.startswith("newsmon/staging/")]  # the good run's staging removed
    path = f"/api/v2/dags/related_articles/dagRuns/{run_id}/taskInstances"
    queues = {t["task_id"]: t["queue"] for t in stack.request("GET", path)["task_instances"]}
    assert {t for t, q in queues.items() if q == "warehouse"} == {"discover", "load", "check", "publish"}


def test_clear_and_rerun_gives_identical_rows(stack):
    before = warehouse_rows(stack.settings.db)
    run_id = next(r["dag_run_id"] for r in stack.runs("related_articles") if r["state"] == "success")
    stack.request("POST", "/api/v2/dags/related_articles/clearTaskInstances",
                  json={"dry_run": False, "dag_run_id": run_id, "only_failed": False, "reset_dag_runs": True})
    time.sleep(3)
    assert stack.wait_run("related_articles", run_id) == "success"
    assert warehouse_rows(stack.settings.db) == before
