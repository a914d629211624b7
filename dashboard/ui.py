"""What every page shares: the warehouse, the date range in the sidebar, charts on a daily axis with a
stable colour per series, tables with explained columns, downloads, and crawled text kept as text.

Every filter is a widget bound to the URL (`bind="query-params"`, the key is the parameter's name), so a
link reproduces the view."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import data

PAGE_ARTICLES = "views/articles.py"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")


def plain(text: object) -> str:
    """Crawled text made safe for places that render Markdown (headers, captions): every Markdown,
    HTML, LaTeX and directive character escaped, so a title is shown, never followed or fetched."""
    return _MARKDOWN.sub(r"\\\1", str(text)).replace("\n", " ")


def warehouse_path() -> Path:
    if os.environ.get("NEWSMON_DB"):
        return Path(os.environ["NEWSMON_DB"])
    from core.config import load_settings

    return Path(load_settings().db)


def warehouse() -> data.Warehouse:
    """The published snapshot, as the page sees it now."""
    return data.Warehouse.at(warehouse_path())


def sidebar(wh: data.Warehouse) -> tuple[date, date]:
    """The publication date range every page filters on (URL: from, to), with what the snapshot holds."""
    first, last = data.day_bounds(wh)
    lowest, highest = first - timedelta(days=3650), last + timedelta(days=3650)
    with st.sidebar:
        start = st.date_input("From", value=first, min_value=lowest, max_value=highest, key="from",
                              bind="query-params", help="First publication day shown (UTC).")
        end = st.date_input("To", value=last, min_value=lowest, max_value=highest, key="to",
                            bind="query-params", help="Last publication day shown (UTC).")
        info = data.summary(wh)
        published = pd.Timestamp(info["published_at"]).strftime("%Y-%m-%d %H:%M UTC") \
            if not pd.isna(info["published_at"]) else "before publications were logged"
        st.caption(f"{info['articles']:,} articles ({info['copies']:,} with copies) from {info['outlets']:,} "
                   f"outlets, {first:%d %b %Y} to {last:%d %b %Y}. Snapshot published {published}.")
    if start is None or end is None:
        start, end = start or first, end or last
    if start > end:
        st.sidebar.warning("From is after To: the two are swapped.")
        start, end = end, start
    return start, end


def context() -> tuple[data.Warehouse, date, date]:
    """The snapshot and the date range the main script set up for this run of a page."""
    start, end = st.session_state["newsmon_range"]
    return st.session_state["newsmon_wh"], start, end


def url_choice(container: DeltaGenerator | None, label: str, key: str, labels: dict[str, str], placeholder: str,
               help: str | None = None) -> str | None:
    """A selectbox of ids shown by their labels (in `container`, None: the page itself), with the chosen id
    (not its label) in the URL parameter `key`; a link that names an id selects it. (Streamlit's own
    binding would put the label in the URL.)"""
    state, written = f"{key}_pick", f"{key}_in_url"
    wanted = st.query_params.get(key)
    if wanted != st.session_state.get(written) and (wanted is None or wanted in labels):
        st.session_state[state] = wanted  # the URL changed under us: a shared link, or a page link
    selectbox = container.selectbox if container is not None else st.selectbox
    value = selectbox(label, list(labels), index=None, format_func=lambda i: labels.get(i, i), key=state,
                      placeholder=placeholder, help=help)
    if value is None:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value
    st.session_state[written] = value
    return value


def day(value: object) -> date:
    """A date from what DuckDB and pandas return for a DATE (date, Timestamp or datetime64)."""
    return pd.Timestamp(value).date()


def daily_axis(start: date, end: date, field: str = "day", unit: bool = False) -> alt.X:
    """A time axis that counts days: day-month labels, never hours. With `unit`, a mark spans its whole
    day (bars one day wide)."""
    span = (end - start).days + 1
    return alt.X(f"yearmonthdate({field}):T" if unit else f"{field}:T", title=None,
                 scale=alt.Scale(domain=[start.isoformat(), end.isoformat()]),
                 axis=alt.Axis(format="%d %b %Y" if span > 200 else "%d %b", labelAngle=0, labelOverlap=True,
                               tickCount={"interval": "day", "step": max(1, span // 12)}, grid=False))


def line_chart(frame: pd.DataFrame, series: str, value: str, start: date, end: date, title: str,
               percent: bool = False, ranked: list[str] | None = None) -> alt.Chart:
    """One line per series over every day in the range (the frame holds zeros for empty days), a colour
    fixed per series name (data.colours)."""
    names = sorted(frame[series].unique())
    colour_of = data.colours(names, ranked)
    y_axis = alt.Axis(format=".0%" if percent else "~s", title=title)
    tooltip = [alt.Tooltip("day:T", format="%a %d %b %Y"), alt.Tooltip(f"{series}:N"),
               alt.Tooltip(f"{value}:Q", format=".1%" if percent else ",.2~f", title=title)]
    return (alt.Chart(frame, height=340)
            .mark_line(point=alt.OverlayMarkDef(size=18), interpolate="linear", strokeWidth=2)
            .encode(x=daily_axis(start, end),
                    y=alt.Y(f"{value}:Q", axis=y_axis, scale=alt.Scale(zero=True)),
                    color=alt.Color(f"{series}:N", title=None,
                                    scale=alt.Scale(domain=names, range=[colour_of[n] for n in names]),
                                    legend=alt.Legend(orient="bottom", labelLimit=400, columns=4)),
                    tooltip=tooltip))


def bar_chart(frame: pd.DataFrame, series: str, value: str, start: date, end: date, title: str,
              ranked: list[str] | None = None) -> alt.Chart:
    """Stacked bars per day, one colour per series name (data.colours)."""
    names = sorted(frame[series].unique())
    colour_of = data.colours(names, ranked)
    return (alt.Chart(frame, height=300).mark_bar()
            .encode(x=daily_axis(start, end + timedelta(days=1), unit=True),
                    y=alt.Y(f"sum({value}):Q", title=title, axis=alt.Axis(tickMinStep=1, format=",d")),
                    color=alt.Color(f"{series}:N", title=None,
                                    scale=alt.Scale(domain=names, range=[colour_of[n] for n in names]),
                                    legend=alt.Legend(orient="bottom", labelLimit=400, columns=4)),
                    tooltip=[alt.Tooltip("day:T", format="%a %d %b %Y"), alt.Tooltip(f"{series}:N"),
                             alt.Tooltip(f"{value}:Q", title=title)]))


def downloads(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Parquet downloads of exactly the rows shown."""
    row = st.container(horizontal=True)  # each button as wide as its label (in columns "Parquet" was cut)
    row.download_button("Download CSV", frame.to_csv(index=False).encode("utf-8"), f"{name}.csv", "text/csv",
                         key=f"{key}_csv", on_click="ignore", icon=":material/download:")
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    row.download_button("Download Parquet", buffer.getvalue(), f"{name}.parquet", "application/vnd.apache.parquet",
                          key=f"{key}_parquet", on_click="ignore", icon=":material/download:")


NUMBER = st.column_config.NumberColumn
TEXT = st.column_config.TextColumn
DATE = st.column_config.DateColumn
DATETIME = st.column_config.DatetimeColumn
LIST = st.column_config.ListColumn

COOCCURRENCE_COLUMNS = {
    "name": TEXT("Entity", width="medium"),
    "type": TEXT("Type", width="small"),
    "articles_together": NUMBER("Together", help="Articles with both among their eight most salient entities.",
                                format="%d"),
    "articles_with_other": NUMBER("Its articles", help="Articles with this entity among their eight most salient.",
                                  format="%d"),
    "articles_with_entity": None,
    "lift": NUMBER("Lift", format="%.2f", help="How many times more often the two appear together than they "
                   "would by chance: P(both) / (P(one) x P(other)). 1 = chance, 2 = twice as often."),
    "pmi": NUMBER("PMI", format="%.2f", help="Pointwise mutual information, log2(lift): 0 = chance, "
                  "+1 = twice as often as chance, -1 = half as often."),
}

RISING_COLUMNS = {
    "name": TEXT("Entity", width="medium"),
    "type": TEXT("Type", width="small"),
    "recent_articles": NUMBER("Recent", help="Articles mentioning it in the recent window.", format="%d"),
    "baseline_articles": NUMBER("Baseline", help="Articles mentioning it in the baseline window before.",
                                format="%d"),
    "expected_articles": NUMBER("Expected", format="%.1f", help="Baseline articles scaled to the recent "
                                "window's length: what an unchanged rate would give."),
    "ratio": NUMBER("Ratio", format="%.2f", help="(recent + 1) / (expected + 1): above 1 is rising."),
    "z": NUMBER("z", format="%.2f", help="(recent - expected) / sqrt(expected + 1): how unusual the rise is "
                "(about 2 or more is notable)."),
}

ARTICLE_COLUMNS = {
    "published_at": DATETIME("Published (UTC)", format="YYYY-MM-DD HH:mm"),
    "outlet": TEXT("Outlet", width="medium"),  # "small" cut "The Harbour Courier" to "The Harbou"
    "title": TEXT("Title", width="large"),
    "url": st.column_config.LinkColumn("Link", display_text="open ↗", width="small"),
    "relation": TEXT("Relation", width="small", help="How it relates to the seeds: seed, linked (from a related "
                     "page), feed, sitemap or search."),
    "found_via": TEXT("Why it is here", width="large", help="The page that linked it, the feed or sitemap it was "
                      "listed in, or the search query that found it."),
    "relevance": NUMBER("Relevance", format="%.2f", help="Relevance to the seeds, 0 to 1 (feed, sitemap and "
                        "search items)."),
    "shared_with_seeds": LIST("Entities shared with the seeds", width="medium"),
    "story": TEXT("Story", width="medium"),
    "copy_of": TEXT("Copy of", width="small", help="The outlet of the earlier article this one is a "
                    "near-duplicate of: counted once in trends."),
    "version": NUMBER("Version", format="%d", help="Above 1: a revisit found changed text."),
    "removed_at": DATETIME("Removed", format="YYYY-MM-DD", help="When the site took it down."),
    "story_id": None,
    "article_id": None,
}


def table(frame: pd.DataFrame, columns: dict | None = None, key: str | None = None,
          on_pick: Callable[[], None] | None = None, height: int | str = "auto") -> None:
    """A sortable table; with `on_pick`, one row can be picked and the callback runs (it reads the pick
    with `picked`)."""
    options: dict = {"hide_index": True, "column_config": columns or {}, "width": "stretch", "height": height,
                     "placeholder": "—"}
    if columns:
        options["column_order"] = [c for c, cfg in columns.items() if cfg is not None and c in frame.columns]
    if on_pick is not None:
        st.dataframe(frame, key=key, on_select=on_pick, selection_mode="single-row", **options)
    else:
        st.dataframe(frame, key=key, **options)


def picked(key: str, values: list) -> object | None:
    """In a table's on_pick callback: the value (from `values`, in the rows' order) of the picked row."""
    rows = st.session_state[key].selection.rows
    return values[rows[0]] if rows and rows[0] < len(values) else None
