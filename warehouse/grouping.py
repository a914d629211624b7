"""Near-duplicates and stories for one load, inside its transaction: the batch's keys written, the stored
articles that may group with the batch read as Docs, judged by the application (a `Judge`: the application
passes transform.grouping's), the changes written.

The pool is read by key (warehouse/sql/grouping.sql): stored articles sharing an LSH band with the batch
(table duplicate_bands) and their stored duplicate groups, and, per story key of those and day it is
wanted on, the placed articles carrying it that placement would read first (table story_keys: nearest days
first, at most the `per_key` placement reads per key). So a load reads what its batch touches, not its
whole window: the cost of a cycle follows the batch, whatever the volume of the days around it. The batch's
articles are judged afresh, their groups re-formed, and the stories they join or leave refreshed."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from math import ceil

import duckdb
import pyarrow as pa

from core.config import Grouping
from transform.records import Doc
from warehouse.db import Laps, one
from warehouse.sqlfile import named_statements, params_for, statement

log = logging.getLogger("newsmon.warehouse")
GROUPING_SQL = resources.files("warehouse") / "sql" / "grouping.sql"

Regroup = Callable[[dict[str, Doc], set[str], Grouping, Mapping[str, int]], set[str]]


@dataclass(frozen=True)
class Judge:
    """What the load asks of the application: `regroup(docs, batch, grouping, key_counts)` decides the
    duplicates and stories (changing docs; returns the articles whose duplicate status changed),
    `bands(threshold)` is the LSH layout (bands, values per band) the signatures are cut into, `per_key` the
    most placed articles placement reads per story key, and `keywords_are_keys(story_threshold)` whether
    keywords are story keys too (then the whole story window is read)."""

    regroup: Regroup
    bands: Callable[[float], tuple[int, int]]
    per_key: int
    keywords_are_keys: Callable[[float], bool]


def use_band_layout(con: duckdb.DuckDBPyConnection, bands: int, rows: int) -> bool:
    """Make (bands, rows) the layout of table duplicate_bands, rebuilding it from every stored signature when
    it held another (the duplicate threshold changed). True when it was rebuilt."""
    layout = f"{bands}x{rows}"
    if one(con, "select value from warehouse_settings where key = 'duplicate_bands'")[0] == layout:
        return False
    sql = dict(named_statements(GROUPING_SQL))
    con.execute(sql["clear_bands"])
    con.execute(sql["rebuild_bands"], {"bands": bands, "band_width": 4 * rows})
    con.execute("update warehouse_settings set value = ? where key = 'duplicate_bands'", [layout])
    return True


def _run(con: duckdb.DuckDBPyConnection, sql: dict[str, str], name: str, params: dict) -> duckdb.DuckDBPyConnection:
    with statement(GROUPING_SQL.name, name):
        return con.execute(sql[name], params_for(sql[name], params))


def _params(con: duckdb.DuckDBPyConnection, tables: Mapping[str, str], grouping: Grouping, judge: Judge,
            bands: int, rows: int) -> dict[str, object]:
    """grouping.sql's parameters: the batch's files, the LSH layout, and the time bounds of each window around
    the batch (as timestamps for the key tables, as days for articles.trend_day)."""
    first, last = one(con, "select min(coalesce(published_at, fetched_at)), max(coalesce(published_at, fetched_at)) "
                           "from read_parquet(?)", [tables["articles"]])
    old_lo, old_hi = one(con, "select min(article_at), max(article_at) from batch_before")
    never = datetime(1900, 1, 1)  # bounds of an empty batch (or of one with nothing stored before): no row
    first, last = first or never, last or never
    dup, story = timedelta(days=grouping.duplicate_window_days), timedelta(days=grouping.story_window_days)
    widest = max(dup, story)
    params: dict[str, object] = {
        "articles": tables["articles"], "article_signatures": tables["article_signatures"],
        "article_entities": tables["article_entities"], "bands": bands, "band_width": 4 * rows,
        "old_lo": old_lo or never, "old_hi": old_hi or never, "per_key": judge.per_key,
        "whole_story_window": judge.keywords_are_keys(grouping.story_threshold),
        "story_days": ceil(grouping.story_window_days)}
    day = timedelta(days=1)  # an article's trend_day (its stated day) is within a day of its time
    for name, width in (("", dup), ("story_", story), ("all_", widest)):
        lo, hi = first - width, last + width
        params |= {f"{name}lo": lo, f"{name}hi": hi, f"{name}lo_day": (lo - day).date(),
                   f"{name}hi_day": (hi + day).date()}
    return params


def _read_pool(con: duckdb.DuckDBPyConnection, sql: dict[str, str], params: dict[str, object]
               ) -> tuple[dict[str, Doc], set[str], dict[str, int], dict[str, tuple[int, date]]]:
    """The pool as Docs, the batch's article ids among them, the window's count of placed articles per key, and
    where each pool article is (its row id in articles, and its trend_day)."""
    for name in ("dup_seeds", "dup_pool", "wanted_keys", "placed_carriers"):
        _run(con, sql, name, params)
    key_counts = {"e:" + key: n for key, n in _run(con, sql, "key_counts", params).fetchall()}
    with statement(GROUPING_SQL.name, "pool"):  # as Arrow columns (pool_docs)
        rows = con.sql(sql["pool"], params=params_for(sql["pool"], params)).to_arrow_table()
    docs, batch, places = pool_docs(rows)
    return docs, batch, key_counts, places


def pool_docs(rows: pa.Table) -> tuple[dict[str, Doc], set[str], dict[str, tuple[int, date]]]:
    """The Docs of a pool query's rows (article_id, at, duplicate_of, story_id, site, minhash, keywords,
    entities, in_batch), the ids of those in the batch, and each one's (row_id, trend_day) when the query
    gives them. The rows come as Arrow columns, each list column as one list of its values cut by offsets:
    turning 64,000 rows of 38 strings each into Python lists row by row took most of a pool's read."""
    def cut(name: str) -> list[list]:
        column = rows.column(name).combine_chunks()
        values, offsets = column.values.to_pylist(), column.offsets.to_pylist()  # offsets index .values
        return [values[offsets[i]:offsets[i + 1]] for i in range(len(column))]

    ids, at, minhash, duplicate_of, story_id, site, in_batch = (rows.column(name).to_pylist() for name in (
        "article_id", "at", "minhash", "duplicate_of", "story_id", "site", "in_batch"))
    keywords, entities = cut("keywords"), cut("entities")
    docs = {aid: Doc(aid, at[i], minhash[i], frozenset(keywords[i]), tuple(entities[i]), duplicate_of[i], story_id[i],
                     site[i]) for i, aid in enumerate(ids)}
    batch = {aid for aid, new in zip(ids, in_batch, strict=True) if new}
    places = {}
    if "row_id" in rows.column_names:
        places = dict(zip(ids, zip(rows.column("row_id").to_pylist(), rows.column("trend_day").to_pylist(),
                                   strict=True), strict=True))
    return docs, batch, places


def _temp_table(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, pa.Array]) -> None:
    """Create temp table `name` from Arrow columns in one statement (a backfill changes a million rows)."""
    con.register(f"{name}_rows", pa.table(columns))
    try:
        con.execute(f"create or replace temp table {name} as select * from {name}_rows")
    finally:
        con.unregister(f"{name}_rows")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the pool is read and judged: they make millions of objects
    that live until the end (a pool of 64,000 Docs at ten million articles a year), and each of the
    collections those allocations set off walked all of them (0.9 s of a 3.4 s judge there). They make no
    cycle to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def group_batch(con: duckdb.DuckDBPyConnection, tables: Mapping[str, str], grouping: Grouping,
                judge: Judge, timings: dict[str, float] | None = None) -> dict[str, int]:
    """Write the batch's band and story keys, mark near-duplicates, place new articles in stories, refresh
    the stories touched; add the days whose counts changed to temp table touched_days. `tables` are the
    batch's Parquet files by table (articles, article_signatures, article_entities). Returns counts
    (articles judged, stored articles read with them, duplicates, stories); `timings`, when given, gets the
    seconds of each part (keys, pool, judge, write)."""
    sql = dict(named_statements(GROUPING_SQL))
    done = Laps()
    bands, rows = judge.bands(grouping.duplicate_threshold)
    rebuilt = use_band_layout(con, bands, rows)  # from every stored signature, the batch's included
    params = _params(con, tables, grouping, judge, bands, rows)
    for name in ("delete_bands", "insert_bands") * (not rebuilt) + ("delete_story_keys", "insert_story_keys"):
        _run(con, sql, name, params)
    if one(con, "select count(*) from merged_articles")[0]:
        _run(con, sql, "merged_delete", params)
        _run(con, sql, "merged_insert", params)
    done("keys")
    with _collector_paused():
        docs, batch, key_counts, places = _read_pool(con, sql, params)
        done("pool")
        before = {aid: (d.duplicate_of, d.story_id) for aid, d in docs.items()}
        dup_changed = judge.regroup(docs, batch, grouping, key_counts)
        done("judge")
    moved = sorted(aid for aid, d in docs.items() if (d.duplicate_of, d.story_id) != before[aid])
    touched = {s for aid in batch.union(moved) for s in (before[aid][1], docs[aid].story_id) if s}
    _temp_table(con, "grouping_changes", {
        "row_id": pa.array([places[a][0] for a in moved], pa.int64()),
        "trend_day": pa.array([places[a][1] for a in moved], pa.date32()),
        "article_id": pa.array(moved, pa.string()),
        "duplicate_of": pa.array([docs[a].duplicate_of for a in moved], pa.string()),
        "story_id": pa.array([docs[a].story_id for a in moved], pa.string()),
        "dup_changed": pa.array([a in dup_changed for a in moved], pa.bool_())})
    _temp_table(con, "touched_stories", {"story_id": pa.array(sorted(touched), pa.string())})
    for name in ("apply", "touched_days_grouping", "stories_before", "delete_stories", "insert_stories"):
        _run(con, sql, name, params)
    done("write")
    if timings is not None:
        timings.update(done.seconds)
    log.info("grouping: %d new article(s) judged against %d stored one(s)", len(batch), len(docs) - len(batch))
    return {"judged": len(batch), "pool": len(docs) - len(batch),
            "duplicates": sum(1 for a in batch if docs[a].duplicate_of),
            "stories": len({docs[a].story_id for a in batch})}
