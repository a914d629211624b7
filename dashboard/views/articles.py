"""Articles: every related article with who published it and why it is here, filtered and exported."""

from __future__ import annotations

import streamlit as st

from dashboard import data, ui

wh, start, end = ui.context()
st.title("Articles")
RELATIONS = ["seed", "linked", "feed", "sitemap", "search"]
LIMIT = 1000

stories = data.stories(wh, start, end)
story_labels = {r.story_id: f"{r.label} · {r.first_day:%d %b %Y} · {r.articles} articles" for r in stories.itertuples()}
for story_id in st.query_params.get_all("story"):
    story_labels.setdefault(story_id, f"story {story_id}")
outlet_names = data.outlet_names(wh)

first, second, third = st.columns([2, 2, 3])
outlets = first.multiselect("Outlets", outlet_names, key="outlet", bind="query-params", placeholder="Any outlet")
relations = second.multiselect("Relation", RELATIONS, key="relation",
                               bind="query-params", placeholder="Any relation",
                               help="How each article was found: a seed, linked from a related page, listed in a "
                                    "feed or sitemap, or returned by a search for the seeds' story.")
story = ui.url_choice(third, "Story", "story", story_labels, "Any story")
fourth, fifth = st.columns([3, 4])
entity_text = fourth.text_input("Mentions the entity", key="entity", bind="query-params",
                                placeholder="Any spelling: xi, Mr Xi, Taiwan")
copies = fifth.toggle("Include near-duplicate copies", value=True, key="copies", bind="query-params",
                      help="Wire copies and republications of an earlier article. Trends count each story once.")

entity_id = None
if entity_text.strip():
    matches, suggestions = data.resolve(wh, entity_text)
    if matches.empty:
        hint = ", ".join(ui.plain(n) for n in suggestions["name"])
        st.warning(f"No entity is written “{ui.plain(entity_text)}”" + (f". Did you mean: {hint}?" if hint else "."))
        st.stop()
    entity_id = matches["entity_id"].iloc[0]
    if matches["name"].iloc[0] != entity_text.strip():
        st.caption(f"“{ui.plain(entity_text.strip())}” is {ui.plain(matches['name'].iloc[0])}.")

shown, total = data.articles(wh, start, end, outlets, relations, story, entity_id, copies, LIMIT)
st.caption(f"**{total:,}** articles published from {start:%d %b %Y} to {end:%d %b %Y} pass the filters"
           + (f"; the newest {len(shown):,} are shown and downloaded. Narrow the filters or the dates for the rest."
              if total > len(shown) else "; all are shown.") + " Click a column header to sort.")
ui.table(shown, ui.ARTICLE_COLUMNS, key="articles", height=640)
ui.downloads(shown.drop(columns=["story_id"]), f"newsmon-articles-{start}-{end}", "articles")
