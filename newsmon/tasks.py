"""The bodies of the Airflow tasks: settings read at run time, errors that retries cannot fix fail fast.

Each function is what one task of dags/related_articles.py or dags/entity_trends.py runs; the same
stage functions run in `newsmon run` (newsmon.pipeline)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from newsmon.config import ConfigError, Settings, load_settings

T = TypeVar("T")


@contextmanager
def _no_retry_for_bad_input() -> Iterator[None]:
    from airflow.sdk.exceptions import AirflowFailException

    from warehouse.checks import DataCheckFailed

    try:
        yield
    except (ConfigError, DataCheckFailed) as exc:  # a bad config or bad rows do not heal on retry
        raise AirflowFailException(str(exc)) from exc


def _run(fn: Callable[[Settings], T]) -> T:
    with _no_retry_for_bad_input():
        return fn(load_settings())


def discover(run_id: str) -> list[dict]:
    from extract.crawl import discover as discover_urls

    return _run(lambda s: discover_urls(s, run_id))


def fetch(shard: dict) -> str:
    from extract.crawl import fetch_shard

    return _run(lambda s: fetch_shard(s, shard))


def parse(manifest: str) -> str:
    from transform.stage import parse_manifest

    return _run(lambda s: parse_manifest(s, manifest))


def relate(parsed: list[str], run_id: str) -> str:
    from transform.stage import relate as relate_batch

    return _run(lambda s: relate_batch(s, run_id, list(parsed)))


def load(batch: str) -> dict[str, int]:
    from warehouse.load import load_batch

    return _run(lambda s: load_batch(s.db, batch))


def check() -> int:
    from warehouse.checks import run_checks

    return _run(lambda s: len(run_checks(s.db)))


def refresh_trends() -> dict[str, int]:
    from warehouse.trends import refresh_marts

    return _run(lambda s: refresh_marts(s.db))


def alerts() -> int:
    from newsmon.alerts import raise_alerts

    return _run(lambda s: len(raise_alerts(s)))
