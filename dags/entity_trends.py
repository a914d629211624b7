"""
### entity_trends

Runs whenever `related_articles` updates the warehouse Asset: refreshes the trend tables
(`warehouse/sql/marts/*.sql`) so dashboards and analysts read fresh aggregates, then raises alerts
(entities crossing the rising threshold, new related articles): logged, and posted to
`alert_webhook_url` when the config sets one.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, task

WAREHOUSE = Asset(name="newsmon_warehouse", uri="newsmon://warehouse/duckdb")
LOAD_POOL = "newsmon_warehouse"


@dag(
    schedule=[WAREHOUSE],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "newsmon", "retries": 2, "retry_delay": timedelta(seconds=30),
                  "retry_exponential_backoff": 2.0},
    tags=["newsmon", "trends"],
    doc_md=__doc__,
)
def entity_trends():
    @task(pool=LOAD_POOL)
    def refresh() -> dict:
        from newsmon import tasks

        return tasks.refresh_trends()

    @task(pool=LOAD_POOL)
    def alerts() -> int:
        from newsmon import tasks

        return tasks.alerts()

    refresh() >> alerts()


entity_trends()
