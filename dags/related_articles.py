"""
### related_articles

One ingestion cycle of newsmon, hourly: **discover** (seeds, their related links up to `max_depth`
hops, and feeds) -> **fetch** (one mapped task per host, so one worker owns a host's politeness) ->
**parse** (mapped: article extraction and entities) -> **relate** (dedupe by canonical URL, relevance of
feed items, ledger) -> **load** (the single DuckDB writer, one-slot pool, updates the warehouse Asset) ->
**check** (data checks; a failure fails the run).

Configuration comes from the TOML file named by `NEWSMON_CONFIG`, read when a task runs.
Tasks pass file paths, never article bodies.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, task

WAREHOUSE = Asset(name="newsmon_warehouse", uri="newsmon://warehouse/duckdb")
LOAD_POOL = "newsmon_warehouse"

default_args = {
    "owner": "newsmon",
    "retries": 3,
    "retry_delay": timedelta(seconds=20),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=10),
}


@dag(
    schedule="@hourly",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    tags=["newsmon", "ingestion"],
    doc_md=__doc__,
)
def related_articles():
    @task
    def discover(run_id: str | None = None) -> list[dict]:
        from newsmon import tasks

        return tasks.discover(run_id)

    @task
    def fetch(shard: dict) -> str:
        from newsmon import tasks

        return tasks.fetch(shard)

    @task
    def parse(manifest: str) -> str:
        from newsmon import tasks

        return tasks.parse(manifest)

    @task
    def relate(parsed: list[str], run_id: str | None = None) -> str:
        from newsmon import tasks

        return tasks.relate(parsed, run_id)

    @task(pool=LOAD_POOL, outlets=[WAREHOUSE])
    def load(batch: str) -> dict:
        from newsmon import tasks

        return tasks.load(batch)

    @task
    def check() -> int:
        from newsmon import tasks

        return tasks.check()

    manifests = fetch.expand(shard=discover())
    batch = relate(parse.expand(manifest=manifests))
    load(batch) >> check()


related_articles()
