"""Real Airflow runs (`airflow dags test`) of both DAGs against the sample site."""

import hashlib
import sqlite3
from pathlib import Path

import duckdb
import pytest

from tests.conftest import make_settings, read_rows, write_config
from tests.dags.conftest import airflow
from warehouse.db import snapshot_path

pytestmark = pytest.mark.airflow


@pytest.fixture(scope="module")
def dag_run(airflow_db, site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dagrun")
    settings = make_settings(tmp, site)
    config = write_config(tmp / "newsmon.toml", settings)
    res = airflow("dags", "test", "related_articles", env={"NEWSMON_CONFIG": str(config)})
    return settings, config, res


def asset_events(airflow_home) -> int:
    """Events of the warehouse Asset recorded in the Airflow metadata database."""
    con = sqlite3.connect(airflow_home / "airflow.db")
    try:
        return con.execute("select count(*) from asset_event e join asset a on a.id = e.asset_id "
                           "where a.uri = 'newsmon://warehouse/duckdb'").fetchone()[0]
    finally:
        con.close()


def test_related_articles_fills_the_warehouse(dag_run, airflow_db):
    settings, _, res = dag_run
    assert "state=success" in res.stdout + res.stderr
    assert asset_events(airflow_db) >= 1
    assert snapshot_path(settings.db).exists()
    assert not list((Path(settings.data_dir) / "staging").iterdir())  # a good run leaves no staging files
    articles = read_rows(settings.db, "select relation, count(*) from articles group by 1 order by 1")
    assert dict(articles) == {"feed": 2, "linked": 5, "seed": 1}
    assert read_rows(settings.db, "select count(*) from entities where name = 'Xi Jinping'") == [(1,)]
    assert read_rows(settings.db, "select count(*) from entity_daily")[0][0] > 20


def test_entity_trends_refreshes_marts(dag_run):
    settings, config, _ = dag_run
    res = airflow("dags", "test", "entity_trends", env={"NEWSMON_CONFIG": str(config)})
    assert "state=success" in res.stdout + res.stderr
    (n,) = read_rows(settings.db, "select count(*) from entity_totals")[0]
    assert n == read_rows(settings.db, "select count(distinct entity_id) from entity_daily")[0][0] > 0


def test_failed_data_check_fails_the_run(dag_run, airflow_db):
    settings, config, _ = dag_run
    events = asset_events(airflow_db)
    published = hashlib.sha256(snapshot_path(settings.db).read_bytes()).hexdigest()
    con = duckdb.connect(str(settings.db))
    con.execute("insert into entities values ('bad0000000000000', 'last Tuesday', 'DATE', now()::timestamp, "
                "null, null)")
    con.close()
    res = airflow("dags", "test", "related_articles", env={"NEWSMON_CONFIG": str(config)}, check=False)
    out = res.stdout + res.stderr
    assert "entities_type_accepted" in out
    assert "state=failed" in out
    # publish never ran: no Asset event for entity_trends, readers stay on the last good cycle
    assert asset_events(airflow_db) == events
    assert hashlib.sha256(snapshot_path(settings.db).read_bytes()).hexdigest() == published


def test_bad_config_fails_at_once_without_retries(airflow_db, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('seeds = ["http://127.0.0.1:9/x"]\nmax_depht = 1\n', encoding="utf-8")
    res = airflow("dags", "test", "related_articles", env={"NEWSMON_CONFIG": str(config)}, check=False)
    out = res.stdout + res.stderr
    assert res.returncode != 0
    assert "max_depht: unknown key" in out
    assert "up_for_retry" not in out
