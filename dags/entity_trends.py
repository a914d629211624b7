"""
### entity_trends

Runs whenever `related_articles` publishes a checked cycle (the warehouse Asset): raises alerts
(entities crossing the rising threshold, new related articles), logged, and posted to
`alert_webhook_url` when the config sets one. The trend marts are refreshed by the load itself, for the
days each batch touched.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task

from newsmon.assets import LOAD_POOL, TASK_RETRY_DELAY, WAREHOUSE, WAREHOUSE_QUEUE


@dag(
    schedule=[WAREHOUSE],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "newsmon", "retries": 2, "retry_delay": TASK_RETRY_DELAY,
                  "retry_exponential_backoff": 2.0},
    tags=["newsmon", "trends"],
    doc_md=__doc__,
)
def entity_trends():
    @task(pool=LOAD_POOL, queue=WAREHOUSE_QUEUE)  # writes the alerts table in the DuckDB file
    def alerts() -> int:
        from newsmon import tasks

        return tasks.alerts()

    alerts()


entity_trends()
