"""Stories: the events the related articles form, how long each ran and how big it got; one story's own
view with its coverage per day, who published it first, its articles and copies."""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, ui

wh, start, end = ui.context()
st.title("Stories")
stories = data.stories(wh, start, end)
labels = {row.story_id: f"{row.label} · {row.first_day:%d %b %Y} · {row.articles} articles"
          for row in stories.itertuples()}
for story_id in st.query_params.get_all("story"):  # a shared link to a story outside the range still opens
    labels.setdefault(story_id, f"story {story_id}")


def _pick() -> None:
    story_id = ui.picked("story_table", st.session_state.get("story_table_rows", []))
    if story_id is not None:
        st.session_state["story_pick"] = story_id


def _all_stories() -> None:
    st.session_state["story_pick"] = None


story = ui.url_choice(None, "Story", "story", labels, f"All {len(stories):,} stories with articles in the range")

if story is None:
    if stories.empty:
        st.info("No story has an article in the range.")
        st.stop()
    largest = stories.head(25).copy()
    largest["story"] = [f"{r.label} · {r.first_day:%d %b} · {r.articles} article{'s' if r.articles != 1 else ''}"
                        for r in largest.itertuples()]
    largest["end"] = pd.to_datetime(largest["last_day"]) + timedelta(days=1)
    spans = (alt.Chart(largest).mark_bar(cornerRadius=3, color=data.PALETTE[0], height=16)
             .encode(x=ui.daily_axis(start, end + timedelta(days=1), field="first_day"), x2="end:T",
                     y=alt.Y("story:N", sort=list(largest["story"]), title=None, axis=alt.Axis(labelLimit=560)),
                     tooltip=[alt.Tooltip("label:N", title="Story"), alt.Tooltip("first_day:T", format="%d %b %Y"),
                              alt.Tooltip("last_day:T", format="%d %b %Y"), "articles:Q", "copies:Q", "outlets:Q",
                              alt.Tooltip("first_outlet:N", title="First to publish")])
             .properties(height=alt.Step(28)))
    st.caption(f"The {len(largest)} largest stories with articles in the range: each bar runs from a story's first "
               "article to its last (size: copies counted once). Pick a row below, or a story above, for its own "
               "view.")
    st.altair_chart(spans, width="stretch")
    st.session_state["story_table_rows"] = list(stories["story_id"])
    ui.table(stories, {"label": ui.TEXT("Story", width="large"), "first_day": ui.DATE("First day"),
                       "last_day": ui.DATE("Last day"),
                       "articles": ui.NUMBER("Articles", format="%d", help="Copies counted once."),
                       "copies": ui.NUMBER("With copies", format="%d", help="Every near-duplicate copy counted."),
                       "outlets": ui.NUMBER("Outlets", format="%d"),
                       "first_outlet": ui.TEXT("First to publish")},
             key="story_table", on_pick=_pick)
    ui.downloads(stories, f"newsmon-stories-{start}-{end}", "stories")
    st.stop()

about = data.story(wh, story)
if not about:
    st.warning("This story is not in the warehouse (any more): stories are re-formed as articles arrive.")
    st.button("All stories", on_click=_all_stories)
    st.stop()
first_day, last_day = ui.day(about["first_day"]), ui.day(about["last_day"])
days = data.story_days(wh, story)
who = data.story_outlets(wh, story)
members, _ = data.articles(wh, first_day, last_day, story=story, limit=500)
st.header(ui.plain(about["label"]))
st.button("All stories", on_click=_all_stories, icon=":material/arrow_back:", type="tertiary")
numbers = st.columns(4)
numbers[0].metric("Articles", f"{about['articles']:,}", help="Copies counted once.")
numbers[1].metric("Copies", f"{about['copies'] - about['articles']:,}", help="Near-duplicates of an earlier "
                  "article (wire copies, republications).")
numbers[2].metric("Outlets", f"{len(who):,}")
numbers[3].metric("Days", f"{(last_day - first_day).days + 1}", help=f"{first_day:%d %b %Y} to {last_day:%d %b %Y}")

st.subheader("Coverage per day")
st.altair_chart(ui.bar_chart(days, "outlet", "articles", first_day, last_day, "Articles (every copy)",
                             ranked=data.outlet_names(wh)),
                width="stretch")
st.subheader("Who covered it first")
if len(who) > 1:
    second = who.iloc[1]
    st.caption(f"{ui.plain(who.iloc[0]['outlet'])} published first; {ui.plain(second['outlet'])} followed "
               f"{second['hours_after_first']:.1f} hours later.")
ui.table(who, {"publish_order": ui.NUMBER("Order", format="%d", help="1 = the first outlet to publish it."),
               "outlet": ui.TEXT("Outlet"), "first_published_at": ui.DATETIME("First article (UTC)",
                                                                             format="YYYY-MM-DD HH:mm"),
               "hours_after_first": ui.NUMBER("Hours after the first", format="%.1f"),
               "articles": ui.NUMBER("Articles", format="%d"),
               "copies": ui.NUMBER("Copies", format="%d", help="Of its articles, near-duplicate copies.")},
         key="story_outlets")
st.subheader("Articles and copies")
ui.table(members, ui.ARTICLE_COLUMNS, key="story_articles")
ui.downloads(members, f"newsmon-story-{story}", "story_articles")
st.page_link(ui.PAGE_ARTICLES, label="Filter them on the Articles page", icon=":material/arrow_forward:",
             query_params={"story": story, "from": str(first_day), "to": str(last_day)})
