"""Real Airflow runs (`dag.test()`, in this process) of both DAGs against the sample site.

In-process rather than `airflow dags test` in a subprocess: each of those paid Airflow's and the task
modules' start-up again (about 20 s of CPU on 2 cores, as much as a run that fails at once costs in all)."""

import hashlib
import sqlite3
from pathlib import Path

import duckdb
import pytest

from tests.conftest import make_settings, read_rows, write_config
from tests.dags.conftest import PROJECT
from warehouse.db import snapshot_path

pytestmark = [pytest.mark.airflow,  # dag.test()'s in-process execution API imports starlette's TestClient
              pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")]


@pytest.fixture(scope="module")
def dags(airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(PROJECT / "dags"))
    assert bag.import_errors == {}
    return bag


def run(dags, dag_id: str, config: Path, monkeypatch, capfd):
    """One dag.test() run with NEWSMON_CONFIG set; returns (state, what the run logged)."""
    monkeypatch.setenv("NEWSMON_CONFIG", str(config))
    capfd.readouterr()
    dr = dags.get_dag(dag_id).test()
    out = capfd.readouterr()
    return str(dr.state), out.out + out.err


@pytest.fixture(scope="module")
def dag_run(dags, site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dagrun")
    settings = make_settings(tmp, site)
    config = write_config(tmp / "newsmon.toml", settings)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSMON_CONFIG", str(config))
        state = str(dags.get_dag("related_articles").test().state)
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


def test_entity_trends_refreshes_marts(dags, dag_run, monkeypatch, capfd):
    settings, config, _ = dag_run
    state, _ = run(dags, "entity_trends", config, monkeypatch, capfd)
    assert state == "success"
    (n,) = read_rows(settings.db, "select count(*) from entity_totals")[0]
    assert n == read_rows(settings.db, "select count(distinct entity_id) from entity_daily")[0][0] > 0


def test_failed_data_check_fails_the_run(dags, dag_run, airflow_db, monkeypatch, capfd):
    settings, config, _ = dag_run
    events = asset_events(airflow_db)
    published = hashlib.sha256(snapshot_path(settings.db).read_bytes()).hexdigest()
    con = duckdb.connect(str(settings.db))
    con.execute("insert into entities values ('bad0000000000000', 'last Tuesday', 'DATE', now()::timestamp, "
                "null, null)")
    con.close()
    state, log = run(dags, "related_articles", config, monkeypatch, capfd)
    assert state == "failed"
    assert "entities_type_accepted" in log
    # publish never ran: no Asset event for entity_trends, readers stay on the last good cycle
    assert asset_events(airflow_db) == events
    assert hashlib.sha256(snapshot_path(settings.db).read_bytes()).hexdigest() == published


def test_bad_config_fails_at_once_without_retries(dags, tmp_path, monkeypatch, capfd):
    config = tmp_path / "bad.toml"
    config.write_text('seeds = ["http://127.0.0.1:9/x"]\nmax_depht = 1\n', encoding="utf-8")
    state, log = run(dags, "related_articles", config, monkeypatch, capfd)
    assert state == "failed"
    assert "max_depht: unknown key" in log
    assert "up_for_retry" not in log
