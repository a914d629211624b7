"""What the dashboard shows, as DataFrames from the warehouse's published snapshot.

Every query is cached per snapshot (its file identity is part of the cache key), so a page reads the
warehouse once per publication and filter; a new publication is seen on the next interaction. Nothing
here draws: the pages in dashboard/views do, and the tests call these functions directly."""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import pandas as pd
import streamlit as st

from warehouse.db import read_connection, snapshot_path
from warehouse.sqlfile import named_statements, params_for

DASHBOARD_SQL = resources.files("warehouse") / "sql" / "dashboard"
MEASURES = {  # as the dashboard offers them (and writes them in the URL) -> what the axis says
    "Articles": "Articles mentioning it",
    "Share": "Share of the day's articles",
    "Mentions": "Mentions",
}
# Tableau 10 (its grey made navy): distinct hues, colour-blind friendly
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#2f4b7c"]
EXTRA = ["#a0cbe8", "#ffbe7d", "#8cd17d", "#b6992d", "#499894", "#86bcb6", "#d37295", "#fabfd2", "#d4a6c8",
         "#665191"]  # for the names that own no colour
# the crawl ledger's states (urls.state) own the palette in this order, so no two look alike (by a hash of
# the name, duplicate, feed and stored all came out teal); blocked, the rarest, takes its hashed colour
CRAWL_STATES = ["stored", "feed", "failed", "unchanged", "irrelevant", "queued", "duplicate", "not_article",
                "robots_disallowed", "gone"]


@dataclass(frozen=True)
class Warehouse:
    """A published snapshot: the warehouse path and the snapshot file's identity (the cache key)."""

    db: str
    version: tuple[int, int, int]

    @classmethod
    def at(cls, db: str | Path) -> Warehouse:
        """The snapshot of `db` as it is now; FileNotFoundError saying what to run when there is none."""
        snap = snapshot_path(db)
        try:
            st_ = os.stat(snap)
        except FileNotFoundError:
            with read_connection(db):  # raises the reader's own message: no warehouse, or nothing published
                pass
            raise
        return cls(str(db), (st_.st_ino, st_.st_mtime_ns, st_.st_size))


@st.cache_data(show_spinner=False, max_entries=1024)
def query(wh: Warehouse, name: str, **params: object) -> pd.DataFrame:
    """One of warehouse/sql/dashboard/*.sql on the snapshot, with its named parameters."""
    sql = (DASHBOARD_SQL / f"{name}.sql").read_text(encoding="utf-8")
    with read_connection(wh.db) as con:
        return con.execute(sql, params_for(sql, params)).df()


@st.cache_data(show_spinner=False, max_entries=64)
def named(wh: Warehouse, name: str) -> dict[str, pd.DataFrame]:
    """Every `-- name:` statement of a dashboard SQL file (no parameters), by name."""
    with read_connection(wh.db) as con:
        return {part: con.execute(sql).df() for part, sql in named_statements(DASHBOARD_SQL / f"{name}.sql")}


def summary(wh: Warehouse) -> dict:
    """Articles (copies once), copies, outlets, stories, entities, first and last day, last publication."""
    return query(wh, "summary").iloc[0].to_dict()


def range_summary(wh: Warehouse, start: date, end: date) -> dict:
    """Articles (copies once), copies, outlets and stories published from start to end."""
    return query(wh, "range_summary", start=start, end=end).iloc[0].to_dict()


def day_bounds(wh: Warehouse) -> tuple[date, date]:
    """The first and last publication day in the warehouse (today twice when it has no article)."""
    row = summary(wh)
    if pd.isna(row["first_day"]):
        today = date.today()
        return today, today
    return pd.Timestamp(row["first_day"]).date(), pd.Timestamp(row["last_day"]).date()


def top_entities(wh: Warehouse, start: date, end: date, n: int = 200) -> pd.DataFrame:
    """The n entities in the most articles published from start to end: name, type, articles, mentions."""
    return query(wh, "top_entities", start=start, end=end, n=n)


@st.cache_data(show_spinner=False, max_entries=256)
def resolve(wh: Warehouse, text: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entities the text names (any case; alias or short form) and, when none, close spellings."""
    with read_connection(wh.db) as con:
        matches = con.execute("select * from entity_matches(?)", [text]).df()
        suggestions = (con.execute("select * from entity_suggestions(?, n := 6)", [text]).df()
                       if matches.empty else pd.DataFrame(columns=["name", "type", "similarity", "articles"]))
    return matches, suggestions


def entity_series(wh: Warehouse, names: list[str], start: date, end: date) -> pd.DataFrame:
    """day, name, articles, mentions, day_articles: every day from start to end for every name, zeros
    where a name was not mentioned."""
    if not names or start > end:
        return pd.DataFrame(columns=["day", "name", "articles", "mentions", "day_articles"])
    return query(wh, "entity_series", names=sorted(names), start=start, end=end)


def shape_series(frame: pd.DataFrame, measure: str = "Articles", smooth: bool = False) -> pd.DataFrame:
    """day, name, value: the chosen measure per day; `smooth` gives the mean of the 7 days up to each day
    (for shares: the 7 days' articles over the 7 days' total, not a mean of ratios)."""
    out = []
    for name, part in frame.sort_values("day").groupby("name", sort=True):
        window = 7 if smooth else 1
        counts = part[["articles", "mentions", "day_articles"]].rolling(window, min_periods=1).sum()
        if measure == "Share":
            value = (counts["articles"] / counts["day_articles"]).where(counts["day_articles"] > 0, 0.0)
        else:
            value = counts[measure.lower()] / window
        out.append(pd.DataFrame({"day": part["day"].to_numpy(), "name": name, "value": value.to_numpy()}))
    if not out:
        return pd.DataFrame(columns=["day", "name", "value"])
    return pd.concat(out, ignore_index=True)


def colours(names: list[str], ranked: list[str] | None = None) -> dict[str, str]:
    """A colour per name that never depends on what else is drawn: the first names of `ranked` (the
    snapshot's largest entities or outlets) own the palette's ten colours, in order; any other name
    takes one of twenty colours by a hash of the name (two such names may share one; hover to tell)."""
    order = list(dict.fromkeys(ranked or []))[:len(PALETTE)]
    owned = {name: PALETTE[i] for i, name in enumerate(order)}
    pool = PALETTE + EXTRA
    return {name: owned.get(name) or pool[zlib.crc32(name.encode("utf-8")) % len(pool)] for name in names}


def colour_ranking(wh: Warehouse) -> list[str]:
    """The entities in the most articles over all days: they own the palette's colours, in order."""
    return list(query(wh, "top_entities", start=date(1, 1, 1), end=date(9999, 12, 31), n=len(PALETTE))["name"])


def rising(wh: Warehouse, recent_days: int, baseline_days: int, min_articles: int, as_of: date) -> pd.DataFrame:
    return _macro(wh, "select name, type, recent_articles, baseline_articles, expected_articles, ratio, z from "
                      "rising_entities(recent_days := ?, baseline_days := ?, min_articles := ?, as_of := ?) limit 50",
                  (recent_days, baseline_days, min_articles, as_of))


def cooccurring(wh: Warehouse, entity: str, since: date | None = None, limit: int = 50) -> pd.DataFrame:
    """Entities among the eight most salient of the same articles as `entity` (published since `since`), with
    lift and PMI (the cooccurrence macro)."""
    if since is not None and since <= day_bounds(wh)[0]:
        since = None  # all days: the same rows, from the per-entity totals
    return _macro(wh, "select * from cooccurrence(?, since := ?) limit ?", (entity, since, limit))


@st.cache_data(show_spinner=False, max_entries=256)
def _macro(wh: Warehouse, sql: str, params: tuple) -> pd.DataFrame:
    with read_connection(wh.db) as con:
        return con.execute(sql, list(params)).df()


def entity_profile(wh: Warehouse, entity_id: str, start: date, end: date) -> dict:
    frame = query(wh, "entity_profile", entity_id=entity_id, start=start, end=end)
    return frame.iloc[0].to_dict() if not frame.empty else {}


def entity_outlets(wh: Warehouse, entity_id: str, start: date, end: date) -> pd.DataFrame:
    return query(wh, "entity_outlets", entity_id=entity_id, start=start, end=end)


def articles(wh: Warehouse, start: date, end: date, outlets: list[str] | None = None,
             relations: list[str] | None = None, story: str | None = None, entity_id: str | None = None,
             copies: bool = True, limit: int = 1000) -> tuple[pd.DataFrame, int]:
    """The newest `limit` articles that pass the filters, with outlet and reason; and how many pass."""
    page = query(wh, "articles", start=start, end=end, outlets=sorted(outlets or []), relations=sorted(relations or []),
                 story=story, entity_id=entity_id, copies=copies, limit=limit)
    if page.empty:
        return query(wh, "articles_detail", ids=[], first_day=start, last_day=end), 0
    days = pd.to_datetime(page["day"]).dt.date  # the detail query skips the other days' rows
    return query(wh, "articles_detail", ids=list(page["article_id"]), first_day=days.min(),
                 last_day=days.max()), int(page["total"].iloc[0])


def outlet_names(wh: Warehouse) -> list[str]:
    """Every outlet, the largest first."""
    return list(query(wh, "outlet_names")["outlet"])


def stories(wh: Warehouse, start: date, end: date, limit: int = 500) -> pd.DataFrame:
    return query(wh, "stories", start=start, end=end, limit=limit)


def story(wh: Warehouse, story_id: str) -> dict:
    """One story's row (label, first_day, last_day, articles, copies, outlets), empty when unknown."""
    frame = query(wh, "story", story=story_id)
    return frame.iloc[0].to_dict() if not frame.empty else {}


def story_days(wh: Warehouse, story: str) -> pd.DataFrame:
    return query(wh, "story_days", story=story)


def story_outlets(wh: Warehouse, story: str) -> pd.DataFrame:
    return query(wh, "story_outlets", story=story)


def outlets(wh: Warehouse, start: date, end: date) -> pd.DataFrame:
    return query(wh, "outlets", start=start, end=end)


def outlet_days(wh: Warehouse, names: list[str], start: date, end: date) -> pd.DataFrame:
    if not names or start > end:
        return pd.DataFrame(columns=["day", "outlet", "articles"])
    return query(wh, "outlet_days", outlets=sorted(names), start=start, end=end)


def first_to_publish(wh: Warehouse, start: date, end: date, limit: int = 200) -> pd.DataFrame:
    return query(wh, "first_to_publish", start=start, end=end, limit=limit)


def crawl_summary(wh: Warehouse) -> dict:
    return query(wh, "crawl_summary").iloc[0].to_dict()


def crawl_days(wh: Warehouse, start: date, end: date) -> pd.DataFrame:
    return query(wh, "crawl_days", start=start, end=end)


def crawl_failures(wh: Warehouse) -> pd.DataFrame:
    return query(wh, "crawl_failures")


def crawl_activity(wh: Warehouse) -> dict[str, pd.DataFrame]:
    """The latest publications, loads and search requests."""
    return named(wh, "crawl_activity")
