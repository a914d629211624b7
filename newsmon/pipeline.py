"""One ingestion cycle, calling the same stage functions the Airflow tasks call, in the same order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsmon.config import Settings

Progress = Callable[[str], None]


@dataclass
class CycleReport:
    """What one cycle did: ledger states counted, rows loaded, checks run."""

    run_id: str
    states: Counter = field(default_factory=Counter)
    loaded: dict[str, int] = field(default_factory=dict)
    checks: int = 0


def new_run_id() -> str:
    return "manual__" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def run_cycle(settings: Settings, run_id: str | None = None, progress: Progress | None = None,
              on_stage: Callable[[str, int], None] | None = None) -> CycleReport:
    """discover -> fetch (per host) -> parse (per host) -> relate -> load -> checks."""
    from extract.crawl import discover, fetch_shard
    from transform.stage import parse_manifest, relate
    from warehouse.batch import read_table
    from warehouse.checks import run_checks
    from warehouse.load import load_batch

    say = progress or (lambda _m: None)
    stage = on_stage or (lambda _name, _total: None)
    report = CycleReport(run_id or new_run_id())
    stage("discover", 0)
    shards = discover(settings, report.run_id, say)
    stage("fetch", len(shards))
    manifests = [fetch_shard(settings, shard, say) for shard in shards]
    stage("parse", len(manifests))
    parsed = []
    for manifest in manifests:
        say(f"parse: {manifest}")
        parsed.append(parse_manifest(settings, manifest))
    stage("load", 1)
    batch = relate(settings, report.run_id, parsed)
    report.states = Counter(row["state"] for row in read_table(Path(batch), "urls"))
    report.loaded = load_batch(settings.db, batch)
    stage("checks", 1)
    report.checks = len(run_checks(settings.db))
    return report
