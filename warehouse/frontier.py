"""Read the persistent crawl frontier (the `urls` table) for planning a cycle; the load writes it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from core.frontier import Frontier, SeedProfile

if TYPE_CHECKING:
    import duckdb

FRONTIER_SQL = resources.files("warehouse") / "sql" / "frontier.sql"
RAW_SQL = resources.files("warehouse") / "sql" / "raw_referenced.sql"
PROFILE_SQL = resources.files("warehouse") / "sql" / "seed_profile.sql"


def read_frontier(db_path: str | Path, seeds: list[str], now: datetime, limit: int,
                  min_age_s: float = 0.0) -> Frontier:
    """The frontier rows a cycle needs (seeds, feeds, and up to `limit` of each other tier; the least
    recently checked only if not checked in the last `min_age_s` seconds).

    Reads the writer's file (read-only): the frontier is what the last committed load left, whether or not
    its checks passed. An absent warehouse is an empty frontier."""
    from warehouse.db import connect, one

    if not Path(db_path).exists():
        return Frontier()
    con = connect(db_path, read_only=True)
    try:
        if not one(con, "select count(*) from information_schema.columns "
                        "where table_name = 'urls' and column_name = 'next_due_at'")[0]:
            return Frontier()  # a warehouse from before the frontier: its first migration happens at load
        cur = con.execute(FRONTIER_SQL.read_text(encoding="utf-8"), {"seeds": seeds, "now": now, "limit": limit,
                                                                  "stale_before": now - timedelta(seconds=min_age_s)})
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        known = {url for (url,) in con.execute("select url from urls").fetchall()}
        profile = _seed_profile(con, seeds)
    finally:
        con.close()
    return Frontier(rows, known, profile)


def _seed_profile(con: duckdb.DuckDBPyConnection, seeds: list[str]) -> SeedProfile:
    """The stored seeds' profile (empty before they are stored, or on a warehouse from before migration 0007)."""
    from warehouse.db import one
    from warehouse.sqlfile import named_statements

    if not one(con, "select count(*) from information_schema.tables where table_name = 'article_signatures'")[0]:
        return SeedProfile()
    sql = dict(named_statements(PROFILE_SQL))
    entities = [list(r) for r in con.execute(sql["entities"], {"seeds": seeds}).fetchall()]
    keywords: list[str] = []
    titles: list[str] = []
    for words, title in con.execute(sql["keywords"], {"seeds": seeds}).fetchall():
        keywords += [w for w in words if w not in keywords]
        titles.append(title)
    return SeedProfile(entities=entities, keywords=keywords, titles=titles) if entities else SeedProfile()


def referenced_raw(db_path: str | Path, hashes: Iterable[str]) -> set[str]:
    """Which of `hashes` an article or a frontier row still refers to (the rest may be collected)."""
    from warehouse.db import connect

    con = connect(db_path, read_only=True)
    try:
        con.execute("create temp table raw_candidates as select unnest(?::varchar[]) as sha", [sorted(hashes)])
        rows = con.execute(RAW_SQL.read_text(encoding="utf-8")).fetchall()
    finally:
        con.close()
    return {sha for (sha,) in rows}
