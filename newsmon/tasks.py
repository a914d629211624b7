"""The bodies of the Airflow tasks: settings read at run time, errors that retries cannot fix fail fast.

Each function is what one task of dags/related_articles.py or dags/entity_trends.py runs; the same
stage functions run in `newsmon run` (newsmon.pipeline)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from core.config import ConfigError, Settings, load_settings
from core.staging import Shard

T = TypeVar("T")
log = logging.getLogger("newsmon.tasks")


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


def _required(run_id: str | None) -> str:
    """The DAG run's id, which Airflow passes to every task that names a run_id parameter."""
    if not run_id:
        raise ValueError("no run_id: this task runs inside an Airflow DAG run, which passes it")
    return run_id


def _current(paths: Iterable[str]) -> list[str]:
    """The files of this attempt among the paths a mapped task's results give. When a cleared run maps a
    task over fewer items than before, Airflow still hands over the results of the removed map indexes;
    their files went with the staging folder that `discover` wiped for the new attempt."""
    paths = [p for p in paths if p]
    from core import storage

    stale = [p for p in paths if not storage.at(p).exists()]
    if stale:
        log.warning("ignoring %d result(s) of an earlier attempt of this run: %s", len(stale), ", ".join(stale))
    return [p for p in paths if p not in stale]


def discover(run_id: str | None) -> list[dict[str, Any]]:
    """Plan the cycle from the frontier: round 1's shards (seeds, feeds, never-fetched URLs)."""
    from newsmon.pipeline import plan_cycle

    return [dict(shard) for shard in _run(lambda s: plan_cycle(s, _required(run_id)))]


def fetch(shard: dict[str, Any]) -> str:
    from extract.crawl import fetch_shard

    # XCom hands back, as plain JSON, the Shard that discover or expand returned
    return _run(lambda s: fetch_shard(s, cast(Shard, shard)) or "")


def expand(manifests: list[str], round_no: int, run_id: str | None) -> list[dict[str, Any]]:
    from newsmon.stage import expand as expand_round

    return [dict(shard) for shard in _run(lambda s: expand_round(s, _required(run_id), _current(manifests),
                                                                   round_no))]


def collect(rounds: list[list[str]], run_id: str | None) -> list[str]:
    from extract.crawl import collect as collect_rounds

    return _run(lambda s: collect_rounds(s, _required(run_id), [_current(r) for r in rounds]))


def parse(manifest: str) -> str:
    from newsmon.stage import parse_manifest

    return _run(lambda s: parse_manifest(s, manifest))


def relate(parsed: list[str], run_id: str | None) -> str:
    from newsmon.stage import relate as relate_batch

    return _run(lambda s: relate_batch(s, _required(run_id), _current(parsed)))


def load(batch: str, run_id: str | None) -> dict[str, int]:
    from core.config import Grouping
    from newsmon.stage import load_batch

    return _run(lambda s: load_batch(s.db, batch, _required(run_id), Grouping.of(s), s.trend_day))


def check(batch: str) -> int:
    from warehouse.checks import run_checks

    return _run(lambda s: len(run_checks(s.db, batch)))


def publish(run_id: str | None) -> str:
    """Publish the checked cycle to readers, remove its staging files, collect expired raw bodies."""
    from newsmon.pipeline import publish_cycle

    return _run(lambda s: str(publish_cycle(s, _required(run_id))))


def upkeep(run_id: str | None) -> int:
    """After publish: the month close, published when it moved rows (newsmon.pipeline.upkeep)."""
    from newsmon.pipeline import upkeep as close_months

    return _run(lambda s: close_months(s, _required(run_id)))


def alerts() -> int:
    from newsmon.alerts import raise_alerts

    return _run(lambda s: len(raise_alerts(s)))
