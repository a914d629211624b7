"""
### related_articles

One ingestion cycle of newsmon, hourly. **discover** plans the cycle from the persistent frontier
(seeds, feeds, never-fetched URLs within the `max_pages` / `max_pages_per_host` budget) ->
**fetch** in three rounds, each one mapped task per host (one worker owns a host's politeness); between
rounds **expand** takes the new links and feed items found, and the last round also the due revisits ->
**collect** queues the links found last for the next cycle -> **parse** (mapped: article extraction and
entities) -> **relate** (dedupe by canonical URL, relevance of feed items, ledger and frontier rows) ->
**load** (the single DuckDB writer, one-slot pool; marts refreshed for the days the batch touched) ->
**check** (data checks on the batch; a failure fails the run) -> **publish** (the readers' snapshot and
the warehouse Asset event, only after the checks pass; staging removed) -> **upkeep** (the month close:
once a month the month just closed is rewritten in the marts in entity order and published again; kept out
of load so that a load's cost follows its batch).

discover, load, check, publish and upkeep open the DuckDB file: they run on the Celery queue `warehouse_queue`
(default "warehouse"), consumed by the one worker on the machine that holds the file. The other tasks
run on any worker and exchange files through `data_dir` (a local path or an object-store URL).

Configuration comes from the TOML file named by `NEWSMON_CONFIG`, read when a task runs.
Tasks pass file paths, never article bodies.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, task

from newsmon.assets import LOAD_POOL, TASK_RETRY_DELAY, WAREHOUSE, WAREHOUSE_QUEUE

default_args = {
    "owner": "newsmon",
    "retries": 3,
    "retry_delay": TASK_RETRY_DELAY,
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
    @task(queue=WAREHOUSE_QUEUE)  # reads the frontier from the DuckDB file
    def discover(run_id: str | None = None) -> list[dict]:
        from newsmon import tasks

        return tasks.discover(run_id)

    @task
    def fetch(shard: dict) -> str:
        from newsmon import tasks

        return tasks.fetch(shard)

    @task
    def expand(manifests: list[str], round_no: int, run_id: str | None = None) -> list[dict]:
        from newsmon import tasks

        return tasks.expand(manifests, round_no, run_id)

    @task
    def collect(round_1: list[str], round_2: list[str], round_3: list[str], run_id: str | None = None) -> list[str]:
        from newsmon import tasks

        return tasks.collect([round_1, round_2, round_3], run_id)

    @task
    def parse(manifest: str) -> str:
        from newsmon import tasks

        return tasks.parse(manifest)

    @task
    def relate(parsed: list[str], run_id: str | None = None) -> str:
        from newsmon import tasks

        return tasks.relate(parsed, run_id)

    @task(pool=LOAD_POOL, queue=WAREHOUSE_QUEUE)
    def load(batch: str, run_id: str | None = None) -> dict:
        from newsmon import tasks

        return tasks.load(batch, run_id)

    @task(pool=LOAD_POOL, queue=WAREHOUSE_QUEUE)
    def check(batch: str) -> int:
        from newsmon import tasks

        return tasks.check(batch)

    @task(pool=LOAD_POOL, queue=WAREHOUSE_QUEUE, outlets=[WAREHOUSE])
    def publish(run_id: str | None = None) -> str:
        from newsmon import tasks

        return tasks.publish(run_id)

    @task(pool=LOAD_POOL, queue=WAREHOUSE_QUEUE)  # rewrites closed months' mart rows, then publishes them
    def upkeep(run_id: str | None = None) -> int:
        from newsmon import tasks

        return tasks.upkeep(run_id)

    round_1 = fetch.expand(shard=discover())
    round_2 = fetch.override(task_id="fetch_round_2").expand(
        shard=expand.override(task_id="expand_round_2")(round_1, 2))
    round_3 = fetch.override(task_id="fetch_round_3").expand(
        shard=expand.override(task_id="expand_round_3")(round_2, 3))
    batch = relate(parse.expand(manifest=collect(round_1, round_2, round_3)))
    load(batch) >> check(batch) >> publish() >> upkeep()


related_articles()
