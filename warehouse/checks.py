"""Data checks next to the data (not-null columns, accepted labels and states, referential integrity),
run after each load on the batch's rows plus invariants that stay cheap at any size; and the way back from
a damaged warehouse (the readers' snapshot, restored once it passes them)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from warehouse.db import connect, one, set_setting, setting, snapshot_path
from warehouse.sqlfile import named_statements

CHECKS_SQL = resources.files("warehouse") / "sql" / "checks.sql"


class DataCheckFailed(Exception):
    """One or more data checks found offending rows."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    failures: int
    sample: list[tuple]


def load_checks() -> list[tuple[str, str]]:
    """(name, sql) pairs from checks.sql, where each query follows a `-- name: X` line."""
    return named_statements(CHECKS_SQL)


def _scope(con: duckdb.DuckDBPyConnection, batch_dir: str | Path | None) -> None:
    """The rows the row-level checks look at: the batch's articles and URLs, or all of them; and what the
    batch holds, to compare with what was loaded (check_mentions, check_ledger; empty for all rows)."""
    if batch_dir is None:  # the whole warehouse: no batch to compare the tables with
        con.execute("create temp table check_articles as select article_id from articles")
        con.execute("create temp table check_urls as select url from urls")
        con.execute("create temp table check_mentions (article_id varchar, mentions bigint)")
        con.execute("create temp table check_ledger (url varchar, state varchar, article_id varchar)")
        con.execute("create temp macro check_totals_days() as cast(null as date[])")  # every day
        for table in LOADED_LAST:
            con.execute(f"create temp view loaded_{table} as select * from {table}")
        for name, (table, _, _) in BATCH_ROWS.items():  # every row: views, not copies
            con.execute(f"create temp view {name} as select * from {table}")
        for name, sql in BATCH_KEYS.items():
            con.execute(f"create temp view {name} as {sql}")
        return
    from core import storage
    from warehouse.batch import verified_tables

    needed = ("articles", "urls", *LOADED_LAST)  # on an object store, the load's copy is not fetched again whole
    with storage.local_folder(batch_dir, only=[f"{name}.parquet" for name in needed]) as local:
        files = verified_tables(local, needed)
        con.execute("create temp table check_articles as select article_id from read_parquet(?)",
                    [files["articles"]])
        con.execute("create temp table check_urls as select url from read_parquet(?)", [files["urls"]])
        con.execute("create temp table check_mentions as select article_id, count(*) as mentions "
                    "from read_parquet(?) group by article_id", [files["mentions"]])
        con.execute("create temp table check_ledger as select url, state, article_id from read_parquet(?)",
                    [files["urls"]])
        con.execute("create temp macro check_totals_days() as []::date[]")  # none: see entity_totals_match_marts
        for table in LOADED_LAST:
            rows = one(con, "select count(*) from read_parquet(?)", [files[table]])[0]
            start = _tail(con, table, rows, "article_id", "check_articles", keyed=False)
            con.execute(f"create temp view loaded_{table} as select * from {table} "
                        f"where rowid >= {start or 0}")
    for name, (table, key, ids) in BATCH_ROWS.items():
        start = _tail(con, table, one(con, f"select count(*) from {ids}")[0], key, ids, keyed=True)
        if start is not None:  # the last load's rows, at the end of the table
            con.execute(f"create temp table {name} as select * from {table} as t "
                        f"semi join {ids} as c on c.{key} = t.{key} where t.rowid >= {start}")
            continue
        # otherwise each table read once: its key column, then the rows
        con.execute(f"create temp table {name}_rows as select t.rowid as row_id from {table} as t "
                    f"semi join {ids} as c on c.{key} = t.{key}")
        con.execute(f"create temp table {name} as select * from {table} "
                    f"where rowid in (select row_id from {name}_rows)")
    for name, sql in BATCH_KEYS.items():
        con.execute(f"create temp table {name} as {sql}")


# The batch's rows of the tables keyed by article or URL, which the checks read: (table, key, the batch's keys).
# A load leaves them at the end of the table (it appends new rows, and an article's update moves it there, as
# DuckDB does with an update of a list column, authors; a stored URL is deleted and inserted again), so they
# are read there while the table has the row count the load left (setting last_load_rows). Otherwise their
# keys are looked up: a key has no index (migration 0016) and its values are hashes or URLs, spread over every
# row group's range, so that reads the whole key column (0.2 s at ten million articles), then the rows by id.
BATCH_ROWS = {
    "batch_articles": ("articles", "article_id", "check_articles"),
    "batch_urls": ("urls", "url", "check_urls"),
}
# The keys of the batch's signatures (by article id and time: signatures are in the order of their time, and
# a load writes an article's signature with its article's time) and of its articles' stories.
BATCH_KEYS = {
    "batch_signatures": "select s.article_id from article_signatures as s semi join batch_articles as a "
                        "on a.article_id = s.article_id and s.article_at = coalesce(a.published_at, a.fetched_at)",
    "batch_stories": "select s.story_id from stories as s semi join batch_articles as a on a.story_id = s.story_id",
}


# The largest tables, whose rows a load deletes for its articles and appends again: the batch's rows are the
# last ones, and the checks read them by position (views loaded_mentions, loaded_article_entities) rather
# than by article id (ids are hashes, so every row group's range holds them: a scan of the whole table, 200
# million rows at ten million articles).
LOADED_LAST = ("mentions", "article_entities")


def note_last_rows(con: duckdb.DuckDBPyConnection) -> None:
    """At the end of a load (in its transaction): the row counts of LOADED_LAST and of BATCH_ROWS's tables, in
    the warehouse setting last_load_rows, so that the checks know whether anything changed those tables since."""
    tables = (*LOADED_LAST, *(table for table, _, _ in BATCH_ROWS.values()))
    counts = {table: one(con, f"select count(*) from {table}")[0] for table in tables}
    set_setting(con, "last_load_rows", json.dumps(counts))


def _tail(con: duckdb.DuckDBPyConnection, table: str, rows: int, key: str, ids: str, keyed: bool) -> int | None:
    """The first row id of the window at the end of `table` that holds the batch's `rows` rows (their `key`
    is in temp table `ids`), or None when it does not. The window is the last `rows` live rows (they start at
    or after row count(*) - rows: deleted rows not yet compacted only move them later), and is used when the
    table still has the row count the last load left (setting last_load_rows: nothing appended or deleted
    since) and holds `rows` rows of the batch (`keyed`: `rows` distinct keys). Otherwise (a row added or lost
    since, or the batch is not the last load) the checks read every row, or look the keys up, and name what
    is wrong."""
    noted = setting(con, "last_load_rows")
    count = one(con, f"select count(*) from {table}")[0]
    if noted is None or json.loads(noted).get(table) != count:
        return None
    start = max(0, count - rows)
    counted = f"distinct t.{key}" if keyed else "*"
    found = one(con, f"select count({counted}) from {table} as t semi join {ids} as c on c.{key} = t.{key} "
                     f"where t.rowid >= {start}")[0]
    return start if found == rows else None


def run_checks(db_path: str | Path, batch_dir: str | Path | None = None) -> list[CheckResult]:
    """Run every check (on the batch's rows when `batch_dir` is given, else on every row); raise
    DataCheckFailed naming the failing ones, else return the results."""
    con = connect(db_path, read_only=True)  # the writer's file itself, not the published snapshot
    try:
        _scope(con, batch_dir)
        results = []
        for name, sql in load_checks():
            rows = con.execute(sql).fetchall()
            results.append(CheckResult(name, len(rows), rows[:3]))
    finally:
        con.close()
    failed = [r for r in results if r.failures]
    if failed:
        raise DataCheckFailed("data checks failed: " + "; ".join(
            f"{r.name} ({r.failures} rows, e.g. {r.sample[0]})" for r in failed))
    return results


def unpublished_load(db_path: str | Path) -> str | None:
    """The run whose load committed after the last publication (a run killed, or failed, between its load
    and its publish), or the last load's run when there is no readers' snapshot at all; None when every
    load is published, or there is none."""
    con = connect(db_path, read_only=True)
    try:
        row = one(con, "select arg_max(run_id, loaded_at), max(loaded_at) from load_log")
        published = one(con, "select max(published_at) from publications")[0]
    finally:
        con.close()
    if row[1] is None or (published is not None and published >= row[1] and snapshot_path(db_path).exists()):
        return None
    return row[0]


def restore_from_snapshot(path: str | Path) -> tuple[Path, Path | None]:
    """Put the readers' snapshot back as the warehouse, after checking it opens and passes every data check;
    the damaged file (and its write-ahead log) is kept aside as <name>.damaged-<time>.duckdb. Returns
    (the snapshot restored, where the damaged file went or None when there was none)."""
    path = Path(path)
    snap = snapshot_path(path)
    if not snap.exists():
        raise FileNotFoundError(f"no readers' snapshot at {snap}: nothing to restore {path} from")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.restore.", suffix=path.suffix)
    os.close(fd)
    try:
        shutil.copyfile(snap, tmp)
        run_checks(tmp)  # raises DataCheckFailed, or duckdb.Error when the snapshot is damaged too
        aside = None
        if path.exists():
            stamp = time.strftime("%Y%m%dT%H%M%S")
            aside = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
            os.replace(path, aside)
            wal = path.with_name(path.name + ".wal")
            if wal.exists():
                os.replace(wal, aside.with_name(aside.name + ".wal"))
        os.replace(tmp, path)
        return snap, aside
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
