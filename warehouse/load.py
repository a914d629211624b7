"""The single writer: bulk-load one staging batch (Parquet) into DuckDB in one transaction."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import get_args

import duckdb
import pyarrow.parquet as pq

from core import storage
from core.config import Grouping, TrendDay
from warehouse.batch import verified_tables
from warehouse.checks import note_last_rows
from warehouse.db import Laps, one, rollback, writer
from warehouse.grouping import Judge, group_batch
from warehouse.sqlfile import run_named
from warehouse.trends import rebuild_marts, refresh_days

log = logging.getLogger("newsmon.warehouse")
SQL = resources.files("warehouse") / "sql"
LOAD_SQL = SQL / "load.sql"
MERGE_SQL = SQL / "merge_aliases.sql"
TREND_DAYS = get_args(TrendDay)


def load_batch(db_path: str | Path, batch_dir: str | Path, run_id: str, grouping: Grouping,
               judge: Judge, trend_day: str = "stated", timings: dict[str, float] | None = None) -> dict[str, int]:
    """Upsert the batch by key (articles, signatures, entities, aliases, the URL frontier), replace its
    articles' mentions and salience rows, mark removed articles, fold short-form people into their full
    names, mark near-duplicates and place articles in stories (warehouse.grouping, judged by `judge`: the
    application passes transform.grouping's), log the searches, and refresh the trend marts for the days
    the batch touched, all in one transaction. `trend_day` (the config key: "stated" or "utc") is the day
    articles count on; a warehouse that counted by the other one has every article's day recomputed and
    its marts rebuilt, once, in the same transaction.

    Idempotent: loading the same batch twice leaves the same rows. Readers see it only once it is published
    (warehouse.db.publish), after the data checks. Each step's seconds are logged (and added to `timings` when
    given: upsert, merge, grouping and its parts, marts, commit). `batch_dir` may be an
    object-store URL (core.storage): its files are copied to a temporary folder. Nothing the batch's manifest
    does not vouch for is loaded: a batch without its manifest, a missing table, or a file whose size, sha256 or row
    count differs is refused (IncompleteFolder naming the file) and nothing is written. Returns row counts in
    the batch."""
    with storage.local_folder(batch_dir) as local:  # a batch on an object store is copied here first
        return _load(db_path, verified_tables(local), run_id, grouping, judge, trend_day, timings)


def use_trend_day(con: duckdb.DuckDBPyConnection, trend_day: str) -> bool:
    """Make `trend_day` the warehouse's setting; when it was the other one, recompute every article's day
    and rebuild the marts (inside the caller's transaction). True when it changed."""
    if trend_day not in TREND_DAYS:
        raise ValueError(f"trend_day must be one of {', '.join(TREND_DAYS)}, not {trend_day!r}")
    if one(con, "select value from warehouse_settings where key = 'trend_day'")[0] == trend_day:
        return False
    con.execute("update warehouse_settings set value = ? where key = 'trend_day'", [trend_day])
    rebuild_marts(con)
    log.info("trend_day is now %r: every article's day recomputed, marts rebuilt", trend_day)
    return True


def _load(db_path: str | Path, src: dict[str, str], run_id: str, grouping: Grouping,
          judge: Judge, trend_day: str, timings: dict[str, float] | None) -> dict[str, int]:
    counts = {name: pq.ParquetFile(path).metadata.num_rows for name, path in src.items()}
    done = Laps()
    parts: dict[str, float] = {}
    with writer(db_path) as con:
        try:
            con.execute("begin transaction")
            use_trend_day(con, trend_day)
            run_named(con, LOAD_SQL, src)
            done("upsert")
            con.execute(MERGE_SQL.read_text(encoding="utf-8"))
            done("merge")
            group_batch(con, src, grouping, judge, parts)
            done("grouping")
            refresh_days(con)  # the month close is not a load's: newsmon.pipeline.upkeep runs it
            days = one(con, "select count(distinct day) from touched_days")[0]
            con.execute("insert into load_log values (?, ?, ?, ?, ?)",
                        [run_id, datetime.now(UTC).replace(tzinfo=None), counts["articles"], counts["urls"], days])
            note_last_rows(con)  # what the checks read of the largest tables: the rows this load appended
            done("marts")
            con.execute("commit")
            done("commit")
        except Exception as exc:
            rollback(con, exc)
            raise
    steps: dict[str, float] = {}
    for step, seconds in done.seconds.items():  # each grouping part right after the grouping step
        steps[step] = seconds
        if step == "grouping":
            steps |= {f"grouping: {part}": part_s for part, part_s in parts.items()}
    log.info("loaded %d article(s): %s", counts["articles"], ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()))
    if timings is not None:
        timings.update(steps)
    return counts
