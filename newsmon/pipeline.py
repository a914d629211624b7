"""One ingestion cycle, calling the same stage functions the Airflow tasks call, in the same order."""

from __future__ import annotations

import fcntl
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from core.config import Settings
from core.staging import Shard

Progress = Callable[[str], None]
SEED_FAILURES = ("failed", "blocked", "robots_disallowed")
log = logging.getLogger("newsmon.pipeline")


@dataclass
class CycleReport:
    """What one cycle did: ledger states counted, rows loaded, checks run, requests per round."""

    run_id: str
    states: Counter = field(default_factory=Counter)
    loaded: dict[str, int] = field(default_factory=dict)
    checks: int = 0
    rounds: list[int] = field(default_factory=list)
    seeds: list[tuple[str, str, str]] = field(default_factory=list)  # (url, state, detail) of the seeds fetched
    budget: str = ""  # how the page budget was spent ("4 of 4 pages: seed 1, feed 1, likely related 2")
    sorted_rows: int = 0  # mart rows the month close after the publish rewrote in entity order (upkeep)

    @property
    def seeds_failed(self) -> bool:
        """Every seed this cycle tried to fetch failed (none could be fetched)."""
        return bool(self.seeds) and all(state in SEED_FAILURES for _, state, _ in self.seeds)


class RunInProgress(RuntimeError):
    """Another `newsmon run` holds this warehouse's run lock."""


def run_lock_path(db: str | os.PathLike[str]) -> Path:
    """`<warehouse>.run.lock` beside the file the path leads to, whatever link or relative path leads there."""
    real = Path(os.path.realpath(db))
    return real.with_name(real.name + ".run.lock")


@contextmanager
def run_lock(settings: Settings, run_id: str) -> Iterator[None]:
    """Hold `<db>.run.lock` for the cycle, or refuse at once naming the run that holds it.

    flock: the lock goes with the process, so a killed run never leaves it behind. The lock sits beside the
    warehouse's real file (symlinks and relative paths resolved), so two spellings of one warehouse share
    one lock."""
    path = run_lock_path(settings.db)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown run"
            raise RunInProgress(f"another newsmon run is working on {settings.db}: {holder}") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{run_id} (pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC)\n")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def new_run_id() -> str:
    return "manual__" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def fetch_parallel(settings: Settings, shards: list[Shard], progress: Progress) -> list[str | None]:
    """Fetch each host's shard in its own thread (at most `fetch_workers`); each host keeps its own delay."""
    from extract.crawl import fetch_shard

    with ThreadPoolExecutor(max_workers=max(1, min(settings.fetch_workers, len(shards)))) as pool:
        return [m or "" for m in pool.map(lambda shard: fetch_shard(settings, shard, progress), shards)]


def check_unpublished_load(settings: Settings, progress: Progress = lambda _m: None) -> str | None:
    """Before anything else: a load committed after the last publication (its run killed or failed between
    load and publish) is checked over every row and, when it passes, published; DataCheckFailed naming
    that run when it does not. Returns that run's id, or None when there was none."""
    from warehouse.checks import DataCheckFailed, run_checks, unpublished_load
    from warehouse.db import publish, writer

    if not Path(settings.db).exists():
        return None
    with writer(settings.db):  # migrated first: a warehouse a failed migration left behind, say
        pass
    if (run := unpublished_load(settings.db)) is None:
        return None
    notice = (f"the load of run {run} was never published (the run ended between its load and its publish, or "
              "the snapshot is gone): checking every row before this run")
    log.warning(notice)
    progress(notice)
    try:
        run_checks(settings.db)
    except DataCheckFailed as exc:
        raise DataCheckFailed(f"the load of run {run}, never published, fails the data checks ({exc}); readers "
                              "still see the last published snapshot") from None
    publish(settings.db, run, settings.snapshot_mode)
    log.warning("the load of run %s passed the data checks and is published", run)
    return run


def plan_cycle(settings: Settings, run_id: str, progress: Progress = lambda _m: None) -> list[Shard]:
    """Check and publish a load left unpublished, write the warehouse's confirmed entities for the parse
    stage, then read the frontier and plan round 1 (the `discover` task and `newsmon run` alike)."""
    from core.canonical import canonical_url
    from core.staging import staging_dir, write_known_entities
    from extract.crawl import plan
    from warehouse.frontier import read_frontier
    from warehouse.known import known_entities

    check_unpublished_load(settings, progress)
    seeds = [u for u in (canonical_url(s) for s in settings.seeds) if u]
    frontier = read_frontier(settings.db, seeds, datetime.now(UTC).replace(tzinfo=None), settings.max_pages,
                             settings.revisit_after_s[0])
    shards = plan(settings, run_id, frontier, progress)  # plans afresh: the run's staging starts empty
    # the parse stage runs where the DuckDB file may not be: it reads the confirmed entities from staging
    write_known_entities(staging_dir(settings, run_id), known_entities(settings.db))
    return shards


def budget_spent(settings: Settings, run_id: str) -> str:
    """How the run's page budget was spent, in words (extract.crawl.budget_words); "" before it is planned."""
    from core.frontier import Budget
    from core.staging import staging_dir
    from extract.crawl import budget_words

    path = staging_dir(settings, run_id) / "budget.json"
    return budget_words(Budget.load(path)) if path.exists() else ""


def publish_cycle(settings: Settings, run_id: str) -> Path:
    """After the checks passed: publish to readers, remove the run's staging, collect expired raw bodies."""
    from extract.retention import collect_raw, finish_run
    from warehouse.db import publish
    from warehouse.frontier import referenced_raw

    path = publish(settings.db, run_id, settings.snapshot_mode).path
    finish_run(settings, run_id, ok=True)
    collect_raw(settings, lambda hashes: referenced_raw(settings.db, hashes))
    return path


def upkeep(settings: Settings, run_id: str | None = None) -> int:
    """After a cycle's publish, on the writer: the month close (warehouse.trends.close_months: the months
    closed since the last one, and closed months written apart again, rewritten in the marts in entity
    order) in a transaction of its own, then, when it moved rows, a publish of that, so readers query closed
    months in order. Once a month it rewrites a month of mart rows; otherwise it reads two settings. Kept
    out of the load so that a load's cost follows its batch, not the size of a month. Does nothing while a
    load is unpublished (its data must pass the checks first). Returns the rows rewritten."""
    from warehouse.checks import unpublished_load
    from warehouse.db import publish
    from warehouse.trends import close_months_of

    if not Path(settings.db).exists() or unpublished_load(settings.db) is not None:
        return 0
    moved = close_months_of(settings.db)
    if moved:
        publish(settings.db, run_id, settings.snapshot_mode)
        log.info("month close: %d mart row(s) rewritten in entity order and published", moved)
    return moved


def crawl(settings: Settings, run_id: str, progress: Progress, stage: Callable[[str, int], None]) -> list[str]:
    """Plan from the frontier, fetch in rounds (per host, in parallel); return the files to parse."""
    from extract.crawl import FETCH_ROUNDS, collect
    from newsmon.stage import expand

    stage("plan", 0)
    shards = plan_cycle(settings, run_id, progress)
    rounds: list[list[str | None]] = []
    for n in range(1, FETCH_ROUNDS + 1):
        if n > 1:
            shards = expand(settings, run_id, rounds[-1], n, progress)
        stage(f"fetch round {n}", sum(1 for s in shards if s["path"]))
        rounds.append(fetch_parallel(settings, shards, progress))
    return collect(settings, run_id, rounds)


def run_cycle(settings: Settings, run_id: str | None = None, progress: Progress | None = None,
              on_stage: Callable[[str, int], None] | None = None) -> CycleReport:
    """plan -> fetch rounds (per host) -> parse -> relate -> load -> checks -> publish -> upkeep (the month
    close, when a month closed); then clean up.
    One run per warehouse at a time: a second one is refused at once (RunInProgress)."""
    from core import storage
    from core.staging import staging_dir

    say = progress or (lambda _m: None)
    stage = on_stage or (lambda _name, _total: None)
    report = CycleReport(run_id or new_run_id())
    # the whole cycle in this process, under the run lock: what it writes to its staging on an object store
    # it reads back from memory (storage.held), not with a request per file
    with run_lock(settings, report.run_id), storage.held(staging_dir(settings, report.run_id)):
        return _cycle(settings, report, say, stage)


def _cycle(settings: Settings, report: CycleReport, say: Progress, stage: Callable[[str, int], None]) -> CycleReport:
    """The stages of one cycle, under the run lock; a failed run keeps its staging files for diagnosis."""
    from core import storage
    from core.config import Grouping
    from extract.retention import finish_run
    from newsmon.stage import load_batch, parse_manifest, relate
    from warehouse.batch import read_table
    from warehouse.checks import run_checks

    try:
        manifests = crawl(settings, report.run_id, say, stage)
        report.budget = budget_spent(settings, report.run_id)
        stage("parse", len(manifests))
        parsed = []
        for manifest in manifests:
            say(f"parse: {manifest}")
            parsed.append(parse_manifest(settings, manifest))
        stage("relate", 1)
        batch = relate(settings, report.run_id, parsed)
        remote = not storage.is_local(storage.at(batch))  # then fetched once for the ledger, load and checks
        with storage.local_folder(batch) if remote else nullcontext(batch) as local:
            ledger = read_table(local, "urls")
            report.states = Counter(row["state"] for row in ledger)
            report.seeds = [(r["url"], r["state"], r["detail"] or "") for r in ledger if r["relation"] == "seed"]
            stage("load", 1)
            report.loaded = load_batch(settings.db, local, report.run_id, Grouping.of(settings),
                                       settings.trend_day)
            stage("checks", 1)
            report.checks = len(run_checks(settings.db, local))
        stage("publish", 1)
        publish_cycle(settings, report.run_id)
    except BaseException:
        finish_run(settings, report.run_id, ok=False)
        raise
    stage("upkeep", 1)  # the cycle is published and finished: a failure here leaves its data as they are
    report.sorted_rows = upkeep(settings, report.run_id)
    return report
