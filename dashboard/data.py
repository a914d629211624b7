"""What the dashboard shows, as DataFrames from the warehouse snapshot (testable without Streamlit)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from warehouse import trends
from warehouse.db import read_connection


def _frame(table: tuple[list[str], list[tuple]]) -> pd.DataFrame:
    columns, rows = table
    return pd.DataFrame(rows, columns=columns)


def top_entities(db: Path, n: int = 5) -> list[str]:
    """The n entities in the most articles, for the default chart selection."""
    with read_connection(db) as con:
        rows = con.execute("select name from entity_daily group by name order by sum(articles) desc, "
                           "sum(mentions) desc, name limit ?", [n]).fetchall()
    return [r[0] for r in rows]


def all_entities(db: Path) -> list[str]:
    with read_connection(db) as con:
        return [r[0] for r in con.execute("select distinct name from entities order by name").fetchall()]


def daily_series(db: Path, names: list[str], since: date | None = None) -> pd.DataFrame:
    """Mentions per day (rows) and entity (columns), zero where an entity was not mentioned."""
    if not names:
        return pd.DataFrame()
    with read_connection(db) as con:
        df = con.execute("select day, name, mentions from entity_daily where name in (select unnest(?)) "
                         "and (? is null or day >= ?) order by day", [names, since, since]).df()
    if df.empty:
        return df
    return df.pivot_table(index="day", columns="name", values="mentions", aggfunc="sum", fill_value=0)


def rising(db: Path, recent_days: int, baseline_days: int, min_articles: int) -> pd.DataFrame:
    df = _frame(trends.rising(db, recent_days, baseline_days, min_articles, limit=25))
    return df.drop(columns=["entity_id"]) if not df.empty else df


def cooccurring(db: Path, name: str, since: date | None = None) -> pd.DataFrame:
    return _frame(trends.cooccurring(db, name, 1, since, limit=25))


def articles(db: Path, since: date | None = None) -> pd.DataFrame:
    """Articles, newest first, with their relation reason and most salient entities."""
    with read_connection(db) as con:
        return con.execute("""
            select
                a.title,
                a.canonical_url as url,
                cast(coalesce(a.published_at, a.fetched_at) as date) as day,
                a.relation,
                a.hops,
                a.relevance,
                (select string_agg(e.name, ', ' order by ae.salience desc)
                 from article_entities ae join entities e using (entity_id)
                 where ae.article_id = a.article_id and ae.salience >= 0.3) as entities
            from articles a
            where ? is null or cast(coalesce(a.published_at, a.fetched_at) as date) >= ?
            order by day desc, a.title""", [since, since]).df()


def crawl_health(db: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    with read_connection(db) as con:
        states = con.execute("select strftime(day, '%Y-%m-%d') as day, state, urls from crawl_health_daily "
                             "order by day desc, urls desc").df()
        failures = con.execute("select reason, urls, example_url from crawl_failures order by urls desc").df()
    return states, failures
