"""Outlets: who publishes how much, day by day, and who publishes a story first."""

from __future__ import annotations

import streamlit as st

from dashboard import data, ui

wh, start, end = ui.context()
st.title("Outlets")
table = data.outlets(wh, start, end)
if table.empty:
    st.info("No article was published in the range.")
    st.stop()

st.subheader("Articles per outlet per day")
names = list(table["outlet"])
chosen = st.multiselect("Outlets", names, default=names[:6], key="outlets", bind="query-params",
                        placeholder="Choose outlets (the largest are listed first)")
per_day = data.outlet_days(wh, chosen, start, end)
if per_day.empty:
    st.info("Choose one or more outlets.")
else:
    st.altair_chart(ui.line_chart(per_day, "outlet", "articles", start, end, "Articles (every copy)",
                                  ranked=data.outlet_names(wh)),
                    width="stretch")
    st.caption("Every day in the range is drawn; a day without an article is a zero. Each outlet's copies of "
               "wire stories count as its coverage.")
    with st.expander("Chart data"):
        wide = per_day.pivot_table(index="day", columns="outlet", values="articles", fill_value=0).reset_index()
        ui.table(wide, key="outlet_chart_data")
        ui.downloads(wide, f"newsmon-outlets-per-day-{start}-{end}", "outlet_days")

st.subheader("Outlets in the range")
ui.table(table, {"outlet": ui.TEXT("Outlet", width="medium"), "articles": ui.NUMBER("Articles", format="%d"),
                 "copies": ui.NUMBER("Copies", format="%d", help="Near-duplicates of an earlier article (often "
                                     "another outlet's)."),
                 "stories": ui.NUMBER("Stories", format="%d", help="Stories it has an article in."),
                 "first_to_publish": ui.NUMBER("First to publish", format="%d", help="Stories it published "
                                               "before any other outlet."),
                 "first_article": ui.DATETIME("First article", format="YYYY-MM-DD"),
                 "last_article": ui.DATETIME("Last article", format="YYYY-MM-DD")}, key="outlet_table")

st.subheader("First to publish")
firsts = data.first_to_publish(wh, start, end)
st.caption("Per story, the outlet that published it first and how far ahead it was of the next one; stories "
           "covered by the most outlets first.")
ui.table(firsts, {"story": ui.TEXT("Story", width="large"), "first_outlet": ui.TEXT("First"),
                  "first_published_at": ui.DATETIME("Published (UTC)", format="YYYY-MM-DD HH:mm"),
                  "next_outlet": ui.TEXT("Next"), "lead_hours": ui.NUMBER("Lead (hours)", format="%.1f"),
                  "outlets": ui.NUMBER("Outlets", format="%d"), "articles": ui.NUMBER("Articles", format="%d")},
         key="first_table")
ui.downloads(firsts.drop(columns=["story_id"]), f"newsmon-first-to-publish-{start}-{end}", "firsts")
