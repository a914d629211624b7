"""Overview: how much coverage there is, who gets attention day by day, and who is rising."""

from __future__ import annotations

import streamlit as st

from dashboard import data, ui

wh, start, end = ui.context()
st.title("Overview")
counts = data.range_summary(wh, start, end)
numbers = st.columns(4)
numbers[0].metric("Articles", f"{counts['articles']:,}", help="Articles published in the range, near-duplicate "
                  f"copies counted once ({counts['copies']:,} with copies).")
numbers[1].metric("Outlets", f"{counts['outlets']:,}")
numbers[2].metric("Stories", f"{counts['stories']:,}", help="Stories with an article in the range.")
numbers[3].metric("Days", f"{(end - start).days + 1:,}", help=f"{start:%d %b %Y} to {end:%d %b %Y}")

st.subheader("Attention over time")
top = data.top_entities(wh, start, end)
options = list(dict.fromkeys([*top["name"], *st.query_params.get_all("entities")]))  # a shared link's too
chosen = st.multiselect("Entities", options, default=list(top["name"][:5]), key="entities",
                        bind="query-params", placeholder="Choose entities (the most covered are listed first)")
left, right = st.columns([3, 1])
measure = left.segmented_control("Measure", list(data.MEASURES), default="Articles", key="measure",
                                 bind="query-params", required=True)
smooth = right.toggle("7-day average", key="smooth", bind="query-params",
                      help="Each day shows the mean of the 7 days up to it.")
series = data.entity_series(wh, chosen, start, end)
if series.empty:
    st.info("Choose one or more entities to draw their daily coverage.")
else:
    shaped = data.shape_series(series, measure or "Articles", smooth)
    st.altair_chart(ui.line_chart(shaped, "name", "value", start, end, data.MEASURES[measure or "Articles"],
                                  percent=measure == "Share", ranked=data.colour_ranking(wh)),
                    width="stretch")
    st.caption("Every day in the range is drawn; a day without a mention is a zero. Share of the day's articles: "
               "articles mentioning the entity / all articles published that day (copies counted once), as "
               "Media Cloud's attention over time.")
    with st.expander("Chart data"):
        wide = shaped.pivot_table(index="day", columns="name", values="value", fill_value=0).reset_index()
        wide["day"] = wide["day"].dt.date if hasattr(wide["day"], "dt") else wide["day"]
        ui.table(wide, key="chart_data")
        ui.downloads(wide, f"newsmon-attention-{start}-{end}", "chart")

st.subheader("Rising entities")
with st.expander("How rising is measured", expanded=False):
    cols = st.columns(3)
    recent = cols[0].number_input("Recent days", 1, 90, 7, key="recent", bind="query-params")
    baseline = cols[1].number_input("Baseline days", 1, 365, 28, key="baseline", bind="query-params")
    minimum = cols[2].number_input("Minimum recent articles", 1, 100, 2, key="min_articles", bind="query-params")
    st.caption(f"Articles mentioning each entity in the {recent} days up to {end:%d %b %Y} against the "
               f"{baseline} days before, scaled to the same length. Ratio = (recent + 1) / (expected + 1); "
               "z = (recent - expected) / sqrt(expected + 1).")
rising = data.rising(wh, int(recent), int(baseline), int(minimum), end)
if rising.empty:
    st.info(f"No entity has {minimum} or more articles in the {recent} days up to {end:%d %b %Y}.")
else:
    ui.table(rising, ui.RISING_COLUMNS, key="rising")

st.subheader("Latest articles")
latest, total = data.articles(wh, start, end, limit=10)
ui.table(latest, {c: ui.ARTICLE_COLUMNS[c] for c in ("published_at", "outlet", "title", "url", "found_via")},
         key="latest")
st.page_link(ui.PAGE_ARTICLES, label=f"All {total:,} articles in the range (copies included), with filters and "
             "downloads",
             icon=":material/arrow_forward:")
