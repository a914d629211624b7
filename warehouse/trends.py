"""Trend queries over the warehouse (SQL in warehouse/sql)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from warehouse.db import read_connection, writer

TRENDS_SQL = resources.files("warehouse") / "sql" / "trends.sql"


def daily_mentions(db_path: str | Path, entity: str | None = None, days: int | None = None,
                   limit: int = 1000) -> tuple[list[str], list[tuple]]:
    """(column names, rows) of the daily mention table, newest day first."""
    with read_connection(db_path) as con:
        cur = con.execute(TRENDS_SQL.read_text(encoding="utf-8"),
                          {"entity": entity, "days": days, "limit": limit})
        return [d[0] for d in cur.description], cur.fetchall()


MARTS = resources.files("warehouse") / "sql" / "marts"


def refresh_marts(db_path: str | Path) -> dict[str, int]:
    """Rebuild every trend table in warehouse/sql/marts, each in one transaction; return row counts."""
    counts = {}
    with writer(db_path) as con:
        for mart in sorted(f for f in MARTS.iterdir() if f.name.endswith(".sql")):
            table = mart.name.removesuffix(".sql")
            con.execute("begin transaction")
            try:
                con.execute(mart.read_text(encoding="utf-8"))
                con.execute("commit")
            except Exception:
                con.execute("rollback")
                raise
            counts[table] = con.execute(f"select count(*) from {table}").fetchone()[0]
    return counts
