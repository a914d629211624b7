"""What the dashboard shows, as DataFrames from the warehouse snapshot (testable without Streamlit)."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import pandas as pd

from warehouse import trends
from warehouse.db import read_connection
from warehouse.sqlfile import params_for

DASHBOARD_SQL = resources.files("warehouse") / "sql" / "dashboard"


def _frame(table: tuple[list[str], list[tuple]]) -> pd.DataFrame:
    columns, rows = table
    return pd.DataFrame(rows, columns=columns)


def _query(db: Path, name: str, **params: object) -> pd.DataFrame:
    """One of warehouse/sql/dashboard/*.sql on the published snapshot, as a DataFrame."""
    sql = (DASHBOARD_SQL / f"{name}.sql").read_text(encoding="utf-8")
    with read_connection(db) as con:
        return con.execute(sql, params_for(sql, params)).df()


def top_entities(db: Path, n: int = 5) -> list[str]:
    """The n entities in the most articles, for the default chart selection."""
    return list(_query(db, "top_entities", n=n)["name"])


def all_entities(db: Path) -> list[str]:
    return list(_query(db, "all_entities")["name"])


def daily_series(db: Path, names: list[str], since: date | None = None) -> pd.DataFrame:
    """Mentions per day (rows) and entity (columns), zero where an entity was not mentioned."""
    if not names:
        return pd.DataFrame()
    df = _query(db, "daily_series", names=names, since=since)
    if df.empty:
        return df
    return df.pivot_table(index="day", columns="name", values="mentions", aggfunc="sum", fill_value=0)


def rising(db: Path, recent_days: int, baseline_days: int, min_articles: int) -> pd.DataFrame:
    df = _frame(trends.rising(db, recent_days, baseline_days, min_articles, limit=25))
    return df.drop(columns=["entity_id"]) if not df.empty else df


def cooccurring(db: Path, name: str, since: date | None = None) -> pd.DataFrame:
    return _frame(trends.cooccurring(db, name, 1, since, limit=25))


def articles(db: Path, since: date | None = None) -> pd.DataFrame:
    """Articles, newest first, with their relation reason, version, removal and most salient entities."""
    return _query(db, "articles", since=since)


def stories(db: Path, since: date | None = None, limit: int = 20) -> pd.DataFrame:
    """Stories, the latest first: label, days, articles (copies once), copies, outlets."""
    return _frame(trends.stories(db, since, limit))


def story_timeline(db: Path, since: date | None = None, n: int = 5) -> pd.DataFrame:
    """Articles per day (rows) of the n largest stories (columns), copies counted once; zero elsewhere."""
    frame = _query(db, "story_timeline", n=n, since=since)
    if frame.empty:
        return frame
    return frame.pivot_table(index="day", columns="story", values="articles", aggfunc="sum", fill_value=0)


def crawl_health(db: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return _query(db, "crawl_states"), _query(db, "crawl_failures")
