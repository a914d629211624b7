"""Real Airflow runs (`airflow dags test`) of both DAGs against the sample site."""

import duckdb
import pytest

from tests.conftest import make_settings, read_rows, write_config
from tests.dags.conftest import airflow

pytestmark = pytest.mark.airflow


@pytest.fixture(scope="module")
def dag_run(airflow_db, site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dagrun")
    settings = make_settings(tmp, site)
    config = write_config(tmp / "newsmon.toml", settings)
    res = airflow("dags", "test", "related_articles", env={"NEWSMON_CONFIG": str(config)})
    return settings, config, res


def test_related_articles_fills_the_warehouse(dag_run):
    settings, _, res = dag_run
    assert "state=success" in res.stdout + res.stderr
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


def test_failed_data_check_fails_the_run(dag_run):
    settings, config, _ = dag_run
    con = duckdb.connect(str(settings.db))
    con.execute("insert into entities values ('bad0000000000000', 'last Tuesday', 'DATE', now()::timestamp, "
                "null, null)")
    con.close()
    res = airflow("dags", "test", "related_articles", env={"NEWSMON_CONFIG": str(config)}, check=False)
    out = res.stdout + res.stderr
    assert "entities_type_accepted" in out
    assert "state=failed" in out


def test_bad_config_fails_at_once_without_retries(airflow_db, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('seeds = ["http://127.0.0.1:9/x"]\nmax_depht = 1\n', encoding="utf-8")
    res = airflow("dags", "test", "related_articles", env={"NEWSMON_CONFIG": str(config)}, check=False)
    out = res.stdout + res.stderr
    assert res.returncode != 0
    assert "max_depht: unknown key" in out
    assert "up_for_retry" not in out
