"""Trend queries over the warehouse (SQL in warehouse/sql), read from the published snapshot."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import TypeVar

import duckdb

from warehouse.db import one, read_connection, rollback, set_setting, setting, writer
from warehouse.sqlfile import run_named

SQL = resources.files("warehouse") / "sql"
REFRESH_SQL = SQL / "refresh_days.sql"
TOTALS_SQL = SQL / "rebuild_totals.sql"
Table = tuple[list[str], list[tuple]]
T = TypeVar("T")


class UnknownEntity(LookupError):
    """A name that is no entity's canonical name, alias or short form; carries close spellings."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name, self.suggestions = name, suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no entity named {name!r}{hint}")


@dataclass(frozen=True)
class Entity:
    entity_id: str
    name: str
    type: str
    matched_on: str  # name, alias or short form


def resolve_entity(con: duckdb.DuckDBPyConnection, name: str) -> Entity:
    """The one entity a canonical name, alias or short form means, any case (the warehouse's
    entity_matches macro); UnknownEntity with close spellings (entity_suggestions) when none does."""
    row = con.execute("select entity_id, name, type, matched_on from entity_matches(?) limit 1", [name]).fetchone()
    if row is None:
        suggestions = [r[0] for r in con.execute("select name from entity_suggestions(?)", [name]).fetchall()]
        raise UnknownEntity(name, suggestions)
    return Entity(*row)


def find_entity(db_path: str | Path, name: str) -> Entity:
    """resolve_entity on the published snapshot."""
    with read_connection(db_path) as con:
        return resolve_entity(con, name)


def query(db_path: str | Path, sql_file: str, params: dict) -> Table:
    """(column names, rows) of one of warehouse/sql/*.sql with its named parameters."""
    with read_connection(db_path) as con:
        cur = con.execute((SQL / sql_file).read_text(encoding="utf-8"), params)
        return [d[0] for d in cur.description], cur.fetchall()


def _entity_id(db_path: str | Path, entity: str | None) -> str | None:
    return find_entity(db_path, entity).entity_id if entity is not None else None


def daily_mentions(db_path: str | Path, entity: str | None = None, days: int | None = None,
                   limit: int = 1000, since: date | None = None) -> Table:
    """The daily mention table, newest day first; `entity` is any spelling of one entity (UnknownEntity
    when it names none)."""
    return query(db_path, "trends.sql", {"entity_id": _entity_id(db_path, entity), "days": days, "since": since,
                                         "limit": limit})


def rising(db_path: str | Path, recent_days: int = 7, baseline_days: int = 28, min_articles: int = 3,
           as_of: date | None = None, limit: int = 50) -> Table:
    """Entities rising in the recent window against the trailing baseline, highest z first."""
    return query(db_path, "rising.sql", {"recent_days": recent_days, "baseline_days": baseline_days,
                                         "min_articles": min_articles, "as_of": as_of, "limit": limit})


def cooccurring(db_path: str | Path, entity: str, min_articles: int = 1, since: date | None = None,
                limit: int = 50) -> Table:
    """Entities sharing articles with `entity` (any spelling; UnknownEntity when it names none), with
    counts, lift and PMI."""
    name = find_entity(db_path, entity).name
    return query(db_path, "cooccurrence.sql", {"entity": name, "min_articles": min_articles,
                                               "since": since, "limit": limit})


def stories(db_path: str | Path, since: date | None = None, limit: int = 50) -> Table:
    """Stories, the latest seen first, with their size, copies and outlets."""
    return query(db_path, "stories.sql", {"since": since, "limit": limit})


def story_mentions(db_path: str | Path, story: str, entity: str | None = None, days: int | None = None,
                   limit: int = 1000, since: date | None = None) -> Table:
    """One story's entities by day (story_entity_daily), newest day first; KeyError for an unknown story,
    UnknownEntity for an unknown entity."""
    with read_connection(db_path) as con:
        if not one(con, "select count(*) from stories where story_id = ?", [story])[0]:
            raise KeyError(story)
    return query(db_path, "story_trends.sql", {"story": story, "entity_id": _entity_id(db_path, entity),
                                               "days": days, "since": since, "limit": limit})


def refresh_days(con: duckdb.DuckDBPyConnection, rebuilt: bool = False) -> None:
    """Refresh the marts for the days in temp table touched_days (refresh_days.sql), then note the refreshed
    days of months already stored in entity order (note_refreshed_days; `rebuilt`: every day was touched, and
    entity_totals, which a load keeps by difference, is summed again from the marts: rebuild_totals.sql)."""
    run_named(con, REFRESH_SQL, {})
    if rebuilt:
        run_named(con, TOTALS_SQL, {})
    note_refreshed_days(con, rebuilt)


# The marts read by entity (an entity's series, its co-occurrence), with the order each month is stored in.
SORTED_MARTS = {"entity_daily_mart": "entity_id, day", "entity_pairs_mart": "entity_id, other_id, day"}
SCATTERED_DAYS = 4  # a closed month is sorted again once this many of its days were rewritten apart


def note_refreshed_days(con: duckdb.DuckDBPyConnection, rebuilt: bool = False) -> None:
    """Keep the month close's settings true after a refresh of the days in touched_days (inside the load's
    transaction; cheap: no mart row moves). A refresh writes each touched day's rows apart, at the end of the
    marts, so the touched days of months already sorted (before the setting marts_sorted_before: a late
    article, a revisit, an alias merge) join the setting marts_scattered_days, for the next month close
    (close_months). `rebuilt`: the refresh wrote every stored day in one insert in entity order, so every
    month before the newest day's is in order and no day is apart."""
    stored = _scattered_days(con)
    if rebuilt:
        newest = one(con, "select max(day) from touched_days")[0]
        if newest is not None:
            _set_sorted_before(con, newest.replace(day=1))
        _keep_scattered_days(con, set(), stored)
        return
    since = _sorted_before(con)
    if since is not None:
        apart = {d for (d,) in con.execute("select day from touched_days where day < ?", [since]).fetchall()}
        _keep_scattered_days(con, stored | apart, stored)


def close_months(con: duckdb.DuckDBPyConnection, today: date | None = None) -> int:
    """The month close, on an open transaction: rewrite the entity-read marts' rows (SORTED_MARTS) of the
    months before the newest stored day's month (a day not after `today`, UTC by default) that are not
    sorted yet, in entity order, and move the setting marts_sorted_before up to that month; with them, each
    closed month with SCATTERED_DAYS of its days written apart since (marts_scattered_days). A load
    writes each touched day's rows apart, so an entity's rows of a year would sit in 365 row groups; sorted
    by month they sit in about twelve. Not part of a load: it rewrites a month of rows, which grows with the
    warehouse, while a load's cost follows its batch; newsmon runs it after a cycle's publish
    (newsmon.pipeline.upkeep). Returns the rows rewritten (0 when no month is to close)."""
    today = today or datetime.now(UTC).date()
    newest = one(con, "select max(day) from entity_daily_mart where day <= ?", [today])[0]
    if newest is None:
        return 0
    upto, since = newest.replace(day=1), _sorted_before(con)
    if since is not None and upto <= since:
        return 0
    stored = _scattered_days(con)
    months = Counter(d.replace(day=1) for d in stored)
    again = sorted(m for m, days in months.items() if days >= SCATTERED_DAYS)
    ranges: list[tuple[date | None, date]] = [(m, _next_month(m)) for m in again] + [(since, upto)]
    moved = 0
    for table, order in SORTED_MARTS.items():
        for lo, hi in ranges:
            window, params = "day < $hi and ($lo is null or day >= $lo)", {"lo": lo, "hi": hi}
            con.execute(f"create or replace temp table sorting as select * from {table} where {window}", params)
            con.execute(f"delete from {table} where {window}", params)
            con.execute(f"insert into {table} select * from sorting order by {order}")
            moved += one(con, "select count(*) from sorting")[0]
            con.execute("drop table sorting")
    _keep_scattered_days(con, {d for d in stored if d.replace(day=1) not in again}, stored)
    _set_sorted_before(con, upto)
    return moved


def close_months_of(db_path: str | Path, today: date | None = None) -> int:
    """close_months in a transaction of its own on the warehouse at `db_path`; the rows rewritten."""
    return _in_transaction(db_path, lambda con: close_months(con, today))


def _in_transaction(db_path: str | Path, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """`work` on the writer's connection in one transaction, committed, or rolled back when it fails."""
    with writer(db_path) as con:
        con.execute("begin transaction")
        try:
            done = work(con)
            con.execute("commit")
        except Exception as exc:
            rollback(con, exc)
            raise
    return done


def _sorted_before(con: duckdb.DuckDBPyConnection) -> date | None:
    value = setting(con, "marts_sorted_before")
    return date.fromisoformat(value) if value else None


def _set_sorted_before(con: duckdb.DuckDBPyConnection, month: date) -> None:
    set_setting(con, "marts_sorted_before", month.isoformat())


def _scattered_days(con: duckdb.DuckDBPyConnection) -> set[date]:
    value = setting(con, "marts_scattered_days")
    return {date.fromisoformat(d) for d in json.loads(value)} if value else set()


def _keep_scattered_days(con: duckdb.DuckDBPyConnection, days: set[date], stored: set[date]) -> None:
    if days != stored:
        set_setting(con, "marts_scattered_days", json.dumps(sorted(d.isoformat() for d in days)))


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def rebuild_marts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild the marts whole on an open transaction (a repair, or a new trend_day setting): every
    article's day recomputed (macro trend_day_of), then the load's refresh for every day that has articles
    or mart rows. Returns row counts."""
    con.execute("update articles set trend_day = trend_day_of(published_day, published_at, fetched_at)")
    con.execute("""
        create or replace temp table touched_days as
        select distinct trend_day as day from articles
        union
        select distinct day from entity_daily_mart
        union
        select distinct day from entity_salient_mart""")
    refresh_days(con, rebuilt=True)
    return {table: one(con, f"select count(*) from {table}")[0]
            for table in ("entity_daily_mart", "entity_totals", "entity_pairs_mart")}


def refresh_marts(db_path: str | Path) -> dict[str, int]:
    """Rebuild the trend tables in one transaction (loads do this too); return row counts."""
    return _in_transaction(db_path, rebuild_marts)
