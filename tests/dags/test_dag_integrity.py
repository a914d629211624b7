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
    assert set(tasks) == {"discover", "fetch", "parse", "relate", "load", "check"}
    assert tasks["fetch"].upstream_task_ids == {"discover"}
    assert tasks["parse"].upstream_task_ids == {"fetch"}
    assert tasks["check"].upstream_task_ids == {"load"}
    assert all(type(tasks[t]).__name__.endswith("MappedOperator") for t in ("fetch", "parse"))
    assert tasks["load"].pool == "newsmon_warehouse"
    assert [a.uri for a in tasks["load"].outlets] == ["newsmon://warehouse/duckdb"]
    assert tasks["discover"].retry_delay == timedelta(seconds=20)


def test_entity_trends_runs_on_the_warehouse_asset(dagbag):
    dag = dagbag.dags["entity_trends"]
    assert [a.uri for a in dag.schedule] == ["newsmon://warehouse/duckdb"]
    load = dagbag.dags["related_articles"].get_task("load")
    assert list(dag.schedule) == list(load.outlets)


def test_dag_files_import_no_heavy_modules():
    code = ("import runpy, sys\n"
            "for f in ('dags/related_articles.py', 'dags/entity_trends.py'): runpy.run_path(f)\n"
            "print(','.join(m for m in ('spacy', 'duckdb', 'trafilatura', 'bs4', 'pyarrow', 'newsmon', 'extract',"
            " 'transform', 'warehouse') if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT,
                         env={**os.environ, **AIRFLOW_ENV}, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip() == ""
