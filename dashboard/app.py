"""newsmon dashboard: who and what is in the coverage, day by day, and where every article came from.

Started by `newsmon dashboard`; reads the warehouse named by $NEWSMON_DB (or the config's `db`) through
its published read-only snapshot, so it keeps working while ingestion loads. One question per page:
Overview, Entities, Stories, Articles, Outlets, Crawl health. Every filter lives in the URL."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import ui

VIEWS = Path(__file__).resolve().parent / "views"
PAGES = [
    st.Page(VIEWS / "overview.py", title="Overview", icon=":material/monitoring:", url_path="overview", default=True),
    st.Page(VIEWS / "entities.py", title="Entities", icon=":material/person_search:", url_path="entities"),
    st.Page(VIEWS / "stories.py", title="Stories", icon=":material/view_timeline:", url_path="stories"),
    st.Page(VIEWS / "articles.py", title="Articles", icon=":material/article:", url_path="articles"),
    st.Page(VIEWS / "outlets.py", title="Outlets", icon=":material/newspaper:", url_path="outlets"),
    st.Page(VIEWS / "crawl.py", title="Crawl health", icon=":material/travel_explore:", url_path="crawl"),
]

st.set_page_config(page_title="newsmon", page_icon=":material/monitoring:", layout="wide")
page = st.navigation(PAGES)
try:
    wh = ui.warehouse()
except Exception as exc:  # no config, no warehouse, nothing published yet: say so on the page
    st.title("newsmon")
    st.error(f"Cannot open the warehouse: {exc}")
    st.stop()
st.session_state["newsmon_wh"] = wh
st.session_state["newsmon_range"] = ui.sidebar(wh)
page.run()
