"""Real Airflow runs (`dag.test()`) of both DAGs against the sample site.

The runs happen in one spawned child process that imports Airflow once, rather than `airflow dags test`
four times (each paid Airflow's and the task modules' start-up again: about 20 s of CPU on 2 cores, as
much as a run that fails at once costs in all), and rather than in the test process, where Airflow's
threads would stay behind and make a later fork (spaCy's n_process) hang."""

import hashlib
import multiprocessing
import os
import sqlite3
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import pytest

from tests.conftest import make_settings, read_rows, write_config
from tests.dags.conftest import PROJECT
from warehouse.db import snapshot_path

pytestmark = pytest.mark.airflow
_BAG = None


def _dag_test(dag_id: str, config: str) -> tuple[str, str]:
    """In the child: one dag.test() run with NEWSMON_CONFIG set; returns (state, what the run printed)."""
    global _BAG
    from airflow.dag_processing.dagbag import DagBag

    os.environ["NEWSMON_CONFIG"] = config
    if _BAG is None:
        _BAG = DagBag(dag_folder=str(PROJECT / "dags"))
        assert _BAG.import_errors == {}, _BAG.import_errors
    with tempfile.TemporaryFile() as out:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
        try:
            state = str(_BAG.get_dag(dag_id).test().state)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for fd, copy in ((1, saved[0]), (2, saved[1])):
                os.dup2(copy, fd)
                os.close(copy)
        out.seek(0)
        return state, out.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def run(airflow_db):
    """run(dag_id, config) -> (state, log text), in the module's Airflow child process."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as child:
        yield lambda dag_id, config: child.submit(_dag_test, dag_id, str(config)).result(timeout=600)


@pytest.fixture(scope="module")
def dag_run(run, site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dagrun")
    settings = make_settings(tmp, site)
    config = write_config(tmp / "newsmon.toml", settings)
    state, _ = run("related_articles", config)
    return settings, config, state


def asset_events(airflow_home) -> int:
    """Events of the warehouse Asset recorded in the Airflow metadata database."""
    con = sqlite3.connect(airflow_home / "airflow.db")
    try:
        return con.execute("select count(*) from asset_event e join asset a on a.id = e.asset_id "
                           "where a.uri = 'newsmon://warehouse/duckdb'").fetchone()[0]
    finally:
        con.close()


def test_related_articles_fills_the_warehouse(dag_run, airflow_db):
    settings, _, state = dag_run
    assert state == "success"
    assert asset_events(airflow_db) >= 1
    assert snapshot_path(settings.db).exists()
    assert not list((Path(settings.data_dir) / "staging").iterdir())  # a good run leaves no staging files
    articles = read_rows(settings.db, "select relation, count(*) from articles group by 1 order by 1")
    assert dict(articles) == {"feed": 2, "linked": 5, "seed": 1}
    assert read_rows(settings.db, "select count(*) from entities where name = 'Xi Jinping'") == [(1,)]
    assert read_rows(settings.db, "select count(*) from entity_daily")[0][0] > 20


def test_entity_trends_refreshes_marts(run, dag_run):
    settings, config, _ = dag_run
    state, _ = run("entity_trends", config)
    assert state == "success"
    (n,) = read_rows(settings.db, "select count(*) from entity_totals")[0]
    assert n == read_rows(settings.db, "select count(distinct entity_id) from entity_daily")[0][0] > 0


def test_failed_data_check_fails_the_run(run, dag_run, airflow_db):
    settings, config, _ = dag_run
    events = asset_events(airflow_db)
    published = hashlib.sha256(snapshot_path(settings.db).read_bytes()).hexdigest()
    con = duckdb.connect(str(settings.db))
    con.execute("insert into entities values ('bad0000000000000', 'last Tuesday', 'DATE', now()::timestamp, "
                "null, null)")
    con.close()
    state, log = run("related_articles", config)
    assert state == "failed"
    assert "entities_type_accepted" in log
    # publish never ran: no Asset event for entity_trends, readers stay on the last good cycle
    assert asset_events(airflow_db) == events
    assert hashlib.sha256(snapshot_path(settings.db).read_bytes()).hexdigest() == published


def test_bad_config_fails_at_once_without_retries(run, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('seeds = ["http://127.0.0.1:9/x"]\nmax_depht = 1\n', encoding="utf-8")
    state, log = run("related_articles", config)
    assert state == "failed"
    assert "max_depht: unknown key" in log
    assert "up_for_retry" not in log
