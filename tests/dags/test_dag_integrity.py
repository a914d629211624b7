"""DAG integrity: the files import cleanly, fast and offline, and declare what the design asks."""

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest

from tests.dags.conftest import AIRFLOW_ENV, PROJECT


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    real = socket.socket.connect

    def no_network(self, address):
        raise AssertionError(f"DAG parsing touched the network: {address}")

    socket.socket.connect = no_network
    try:
        return DagBag(dag_folder=str(PROJECT / "dags"))
    finally:
        socket.socket.connect = real


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == {"related_articles", "entity_trends"}


def test_tags_retries_and_docs(dagbag):
    for dag in dagbag.dags.values():
        assert dag.tags and "newsmon" in dag.tags
        assert dag.doc_md
        assert dag.max_active_runs == 1 and dag.catchup is False
        for t in dag.tasks:
            assert t.retries >= 1, t.task_id
            assert t.retry_exponential_backoff, t.task_id


def test_related_articles_shape(dagbag):
    dag = dagbag.dags["related_articles"]
    assert dag.schedule == "@hourly"
    tasks = {t.task_id: t for t in dag.tasks}
    assert set(tasks) == {"discover", "fetch", "expand_round_2", "fetch_round_2", "expand_round_3", "fetch_round_3",
                          "collect", "parse", "relate", "load", "check", "publish", "upkeep"}
    assert tasks["fetch"].upstream_task_ids == {"discover"}
    assert tasks["fetch_round_2"].upstream_task_ids == {"expand_round_2"}
    assert tasks["fetch_round_3"].upstream_task_ids == {"expand_round_3"}
    assert tasks["collect"].upstream_task_ids == {"fetch", "fetch_round_2", "fetch_round_3"}
    assert tasks["parse"].upstream_task_ids == {"collect"}
    assert tasks["load"].upstream_task_ids == {"relate"}
    assert tasks["check"].upstream_task_ids == {"load", "relate"}
    assert tasks["publish"].upstream_task_ids == {"check"}
    assert tasks["upkeep"].upstream_task_ids == {"publish"}
    mapped = ("fetch", "fetch_round_2", "fetch_round_3", "parse")
    assert all(type(tasks[t]).__name__.endswith("MappedOperator") for t in mapped)
    assert {tasks[t].pool for t in ("load", "check", "publish", "upkeep")} == {"newsmon_warehouse"}
    # only publish, after the checks, tells readers and entity_trends that the warehouse changed
    assert [t for t in tasks if tasks[t].outlets] == ["publish"]
    assert [a.uri for a in tasks["publish"].outlets] == ["newsmon://warehouse/duckdb"]
    assert tasks["discover"].retry_delay == timedelta(seconds=20)


def test_tasks_that_open_the_duckdb_file_run_on_the_warehouse_queue(dagbag):
    """discover, load, check, publish, upkeep and alerts open the DuckDB file: the warehouse queue, whose one
    worker holds the file; every other task runs on the default queue, on any worker."""
    queues = {(d.dag_id, t.task_id): t.queue for d in dagbag.dags.values() for t in d.tasks}
    warehouse = {("related_articles", t) for t in ("discover", "load", "check", "publish", "upkeep")} | \
        {("entity_trends", "alerts")}
    assert {k for k, q in queues.items() if q == "warehouse"} == warehouse
    assert {q for k, q in queues.items() if k not in warehouse} == {"default"}


def test_the_warehouse_queue_and_the_retry_delay_come_from_the_config(tmp_path):
    config = tmp_path / "newsmon.toml"
    config.write_text('seeds = ["https://example.test/a"]\nwarehouse_queue = "duckdb-host-1"\n'
                      'task_retry_delay_s = 2.5\n', encoding="utf-8")
    code = ("import runpy\n"
            "for name in ('related_articles', 'entity_trends'):\n"
            "    dag = runpy.run_path(f'dags/{name}.py')[name]()\n"
            "    print(name, sorted({t.queue for t in dag.tasks if t.pool == 'newsmon_warehouse'}),\n"
            "          sorted({t.retry_delay.total_seconds() for t in dag.tasks}))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT,
                         env={**os.environ, **AIRFLOW_ENV, "NEWSMON_CONFIG": str(config)}, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip().splitlines()[-2:] == ["related_articles ['duckdb-host-1'] [2.5]",
                                                    "entity_trends ['duckdb-host-1'] [2.5]"]


def test_the_default_retry_delay_is_twenty_seconds(dagbag):
    assert {t.retry_delay.total_seconds() for d in dagbag.dags.values() for t in d.tasks} == {20.0}


def test_entity_trends_runs_on_the_warehouse_asset(dagbag):
    dag = dagbag.dags["entity_trends"]
    assert [a.uri for a in dag.schedule] == ["newsmon://warehouse/duckdb"]
    publish = dagbag.dags["related_articles"].get_task("publish")
    assert list(dag.schedule) == list(publish.outlets)


def test_dag_files_import_no_heavy_modules():
    code = ("import runpy, sys\n"
            "for f in ('dags/related_articles.py', 'dags/entity_trends.py'): runpy.run_path(f)\n"
            "heavy = ('spacy', 'duckdb', 'trafilatura', 'bs4', 'pyarrow', 'extract', 'transform', 'warehouse')\n"
            "light = {'newsmon', 'newsmon.assets'}  # the shared Asset and pool names, nothing else of newsmon\n"
            "print(','.join([m for m in heavy if m in sys.modules] +"
            " [m for m in sys.modules if m.startswith('newsmon') and m not in light]))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT,
                         env={**os.environ, **AIRFLOW_ENV}, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip() == ""
