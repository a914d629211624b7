"""newsmon dashboard: trends, rising entities, co-occurrence, articles and crawl health.

Started by `newsmon dashboard`; reads the warehouse named by $NEWSMON_CONFIG (or $NEWSMON_DB) through
its published read-only snapshot, so it keeps working while ingestion loads."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from dashboard import data


def warehouse_path() -> Path:
    if os.environ.get("NEWSMON_DB"):
        return Path(os.environ["NEWSMON_DB"])
    from newsmon.config import load_settings

    return Path(load_settings().db)


def article_lines(frame) -> str:  # type: ignore[no-untyped-def]
    lines = []
    for row in frame.itertuples():
        reason = {"seed": "seed", "linked": f"linked, {row.hops} hop(s)",
                  "feed": f"feed, relevance {row.relevance}", "sitemap": f"sitemap, relevance {row.relevance}",
                  "search": f"search, relevance {row.relevance}"}.get(row.relation, row.relation)
        entities = row.entities if isinstance(row.entities, str) else ""
        status = " · **removed by the site**" if row.removed else (f" · updated (v{row.version})"
                                                                   if row.version > 1 else "")
        if row.is_copy:
            status += f" · copy of an earlier article ({row.copy_of}), counted once"
        lines.append(f"- {str(row.day)[:10]} · [{row.title}]({row.url}) · *{reason}*{status} · {entities}")
    return "\n".join(lines)


st.set_page_config(page_title="newsmon", layout="wide")
st.title("newsmon")
try:
    db = warehouse_path()
    names = data.all_entities(db)
except Exception as exc:  # no config, no warehouse yet: say so on the page
    st.error(f"Cannot open the warehouse: {exc}")
    st.stop()

with st.sidebar:
    chosen = st.multiselect("Entities", names, default=data.top_entities(db))
    since = st.date_input("Articles since", value=None)
    recent = st.slider("Rising: recent days", 1, 30, 7)
    baseline = st.slider("Rising: baseline days", 7, 90, 28)
    support = st.slider("Rising: minimum articles", 1, 10, 2)

st.subheader("Mentions per day")
series = data.daily_series(db, chosen, since)
if series.empty:
    st.info("No mentions for the chosen entities.")
else:
    st.line_chart(series)

left, right = st.columns(2)
with left:
    st.subheader("Rising entities")
    st.table(data.rising(db, recent, baseline, support))
with right:
    st.subheader("Mentioned together")
    focus = st.selectbox("With", names, index=names.index(chosen[0]) if chosen else 0)
    st.table(data.cooccurring(db, focus, since))

st.subheader("Stories")
timeline = data.story_timeline(db, since)
if timeline.empty:
    st.info("No stories yet.")
else:
    st.bar_chart(timeline)
st.dataframe(data.stories(db, since), hide_index=True)

st.subheader("Related articles")
st.markdown(article_lines(data.articles(db, since)))

st.subheader("Crawl health")
states, failures = data.crawl_health(db)
health_left, health_right = st.columns(2)
health_left.table(states)
health_right.table(failures)
