"""Trend queries over the warehouse (SQL in warehouse/sql), read from the published snapshot."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from warehouse.db import read_connection, writer
from warehouse.sqlfile import run_named

SQL = resources.files("warehouse") / "sql"
REFRESH_SQL = SQL / "refresh_days.sql"
Table = tuple[list[str], list[tuple]]


def query(db_path: str | Path, sql_file: str, params: dict) -> Table:
    """(column names, rows) of one of warehouse/sql/*.sql with its named parameters."""
    with read_connection(db_path) as con:
        cur = con.execute((SQL / sql_file).read_text(encoding="utf-8"), params)
        return [d[0] for d in cur.description], cur.fetchall()


def daily_mentions(db_path: str | Path, entity: str | None = None, days: int | None = None,
                   limit: int = 1000, since: date | None = None) -> Table:
    """The daily mention table, newest day first."""
    return query(db_path, "trends.sql", {"entity": entity, "days": days, "since": since, "limit": limit})


def rising(db_path: str | Path, recent_days: int = 7, baseline_days: int = 28, min_articles: int = 3,
           as_of: date | None = None, limit: int = 50) -> Table:
    """Entities rising in the recent window against the trailing baseline, highest z first."""
    return query(db_path, "rising.sql", {"recent_days": recent_days, "baseline_days": baseline_days,
                                         "min_articles": min_articles, "as_of": as_of, "limit": limit})


def cooccurring(db_path: str | Path, entity: str, min_articles: int = 1, since: date | None = None,
                limit: int = 50) -> Table:
    """Entities sharing articles with `entity`, with counts, lift and PMI."""
    return query(db_path, "cooccurrence.sql", {"entity": entity, "min_articles": min_articles,
                                               "since": since, "limit": limit})


def stories(db_path: str | Path, since: date | None = None, limit: int = 50) -> Table:
    """Stories, the latest seen first, with their size, copies and outlets."""
    return query(db_path, "stories.sql", {"since": since, "limit": limit})


def story_mentions(db_path: str | Path, story: str, entity: str | None = None, days: int | None = None,
                   limit: int = 1000, since: date | None = None) -> Table:
    """One story's entities by day (story_entity_daily), newest day first; KeyError for an unknown story."""
    with read_connection(db_path) as con:
        if not con.execute("select count(*) from stories where story_id = ?", [story]).fetchone()[0]:
            raise KeyError(story)
    return query(db_path, "story_trends.sql", {"story": story, "entity": entity, "days": days, "since": since,
                                               "limit": limit})


def rebuild_marts(con) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Rebuild the marts whole on an open transaction (a repair): the load's refresh for every day that
    has articles or mart rows. Returns row counts."""
    con.execute("""
        create or replace temp table touched_days as
        select distinct cast(coalesce(published_at, fetched_at) as date) as day from articles
        union
        select distinct day from entity_daily_mart""")
    run_named(con, REFRESH_SQL, {})
    return {table: con.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("entity_daily_mart", "entity_totals")}


def refresh_marts(db_path: str | Path) -> dict[str, int]:
    """Rebuild the trend tables in one transaction (loads do this too); return row counts."""
    with writer(db_path) as con:
        con.execute("begin transaction")
        try:
            counts = rebuild_marts(con)
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    return counts
