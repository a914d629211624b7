"""Entities: find one by any spelling, then its profile: coverage over time, who it appears with, the
outlets that cover it and its articles."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, ui

wh, start, end = ui.context()
st.title("Entities")

TYPES = ["PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "LAW", "PRODUCT", "WORK_OF_ART"]


def _look_up(name: str) -> None:
    st.session_state["q"] = name


def _picked_from_table() -> None:
    name = ui.picked("entity_table", st.session_state.get("entity_table_rows", []))
    if name is not None:
        st.session_state["q"] = name


query = st.text_input("Find an entity", key="q", bind="query-params",
                      placeholder="A name, an alias or a short form, any case: xi, Mr Xi, Taiwan",
                      help="Aliases fold into one entity: Mr Xi, President Xi and Xi are all Xi Jinping.")
if not query.strip():
    kinds = st.pills("Types", TYPES, selection_mode="multi", key="types", bind="query-params")
    top = data.top_entities(wh, start, end, n=1000)
    if kinds:
        top = top[top["type"].isin(kinds)]
    st.caption(f"The entities mentioned in the most articles published from {start:%d %b %Y} to {end:%d %b %Y} "
               "(copies counted once). Pick a row for its profile.")
    st.session_state["entity_table_rows"] = list(top["name"])
    ui.table(top, {"name": ui.TEXT("Entity", width="medium"), "type": ui.TEXT("Type", width="small"),
                   "articles": ui.NUMBER("Articles", format="%d"), "mentions": ui.NUMBER("Mentions", format="%d")},
             key="entity_table", on_pick=_picked_from_table, height=560)
    st.stop()

matches, suggestions = data.resolve(wh, query)
if matches.empty:
    st.warning(f"No entity is written “{ui.plain(query)}”.")
    if not suggestions.empty:
        st.write("Did you mean:")
        buttons = st.columns(min(len(suggestions), 6))
        for column, row in zip(buttons, suggestions.itertuples(), strict=False):
            column.button(f"{ui.plain(row.name)} ({row.type})", key=f"suggest_{row.entity_id}", on_click=_look_up,
                          args=(row.name,), help=f"{row.articles} articles")
    else:
        st.caption("No entity is spelled like it either. Clear the box to browse the entities.")
    st.stop()

entity = matches.iloc[0]
if len(matches) > 1:
    ids = list(matches["entity_id"])
    labels = {r.entity_id: f"{r.name} ({r.type}, {r.articles} articles)" for r in matches.itertuples()}
    chosen = st.selectbox("Written this way", ids, format_func=lambda i: labels.get(i, i), key="entity_choice",
                          help="More than one entity is written this way; the one in most articles comes first.")
    entity = matches.set_index("entity_id").loc[chosen].to_frame().T.reset_index(names="entity_id").iloc[0]

profile = data.entity_profile(wh, entity["entity_id"], start, end)
st.header(ui.plain(profile["name"]))
said = f" “{ui.plain(query.strip())}” is this entity by its {entity['matched_on']}." \
    if query.strip() != profile["name"] else ""
aliases = ", ".join(ui.plain(a) for a in profile["aliases"]) or "no other spelling yet"
st.caption(f"{profile['type']}{' · ' + profile['country_code'] if profile['country_code'] else ''} · also written: "
           f"{aliases}.{said}")
empty = profile["first_day"] is None or pd.isna(profile["first_day"])
numbers = st.columns(5)
numbers[0].metric("Articles in the range", f"{int(profile['articles']):,}", help="Copies counted once.")
numbers[1].metric("Mentions in the range", f"{int(profile['mentions']):,}")
numbers[2].metric("First day in the range", "—" if empty else f"{ui.day(profile['first_day']):%d %b %Y}")
numbers[3].metric("Last day in the range", "—" if empty else f"{ui.day(profile['last_day']):%d %b %Y}")
numbers[4].metric("Articles, all days", f"{int(profile['all_articles']):,}")

left, right = st.columns([3, 1])
measure = left.segmented_control("Measure", list(data.MEASURES), default="Articles", key="measure",
                                 bind="query-params", required=True)
smooth = right.toggle("7-day average", key="smooth", bind="query-params")
series = data.shape_series(data.entity_series(wh, [profile["name"]], start, end), measure or "Articles", smooth)
if not series.empty:
    st.altair_chart(ui.line_chart(series, "name", "value", start, end, data.MEASURES[measure or "Articles"],
                                  percent=measure == "Share", ranked=data.colour_ranking(wh)),
                    width="stretch")

together, outlets = st.columns([3, 2])
with together:
    st.subheader("Appears with")
    st.caption(f"Entities in the same articles since {start:%d %b %Y}, both among the article's eight most salient "
               "(a passing mention does not count; copies once). **Lift** = how many times more often the two "
               "appear together than chance would put them (1 = chance); **PMI** = log2(lift). Sort by a column by "
               "clicking its header.")
    ui.table(data.cooccurring(wh, profile["name"], start), ui.COOCCURRENCE_COLUMNS, key="together", height=400)
with outlets:
    st.subheader("Outlets")
    st.caption("Who covers it: articles mentioning it per outlet (every copy), and how central it is to them.")
    ui.table(data.entity_outlets(wh, entity["entity_id"], start, end),
             {"outlet": ui.TEXT("Outlet"), "articles": ui.NUMBER("Articles", format="%d"),
              "copies": ui.NUMBER("Copies", format="%d", help="Near-duplicate copies of an earlier article."),
              "mean_salience": ui.NUMBER("Salience", format="%.2f", help="Mean salience: 0.4 in the headline + 0.3 "
                                         "early in the text + 0.3 share of the mentions.")},
             key="entity_outlets")

st.subheader("Articles")
shown, total = data.articles(wh, start, end, entity_id=entity["entity_id"], limit=200)
more = f"; the newest {len(shown)} are shown." if total > len(shown) else "."
st.caption(f"{total:,} articles mention it in the range, copies included{more}")
ui.table(shown, ui.ARTICLE_COLUMNS, key="entity_articles")
st.page_link(ui.PAGE_ARTICLES, label="Open them on the Articles page (filters, downloads)",
             query_params={"entity": profile["name"]}, icon=":material/arrow_forward:")
