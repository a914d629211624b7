"""The dashboard's pages, run by Streamlit's AppTest on the demo's warehouse (three outlets, stories,
copies, search results): what each page shows, with filters given as URL parameters."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = ["overview", "entities", "stories", "articles", "outlets", "crawl"]


def open_page(monkeypatch, db, page: str = "overview", **params: object) -> AppTest:
    """The page as a browser would get it for the URL /<page>?<params>."""
    monkeypatch.setenv("NEWSMON_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    if page != "overview":
        at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def chart_data(at: AppTest, n: int = 0) -> pd.DataFrame:
    """The rows behind the n-th chart on the page, as the browser receives them."""
    spec = at.get("vega_lite_chart")[n].proto
    return pa.ipc.open_stream(spec.datasets[0].data.data).read_all().to_pandas()


TABLES = {  # a column only that table has, to find it on its page
    "rising": "z", "latest": "found_via", "together": "pmi", "entity_outlets": "mean_salience",
    "entity_articles": "found_via", "story_table": "first_outlet", "story_outlets": "publish_order",
    "story_articles": "found_via", "articles": "found_via", "first_table": "lead_hours", "failures": "reason",
    "publications": "published_at", "searches": "provider",
}


def frame(at: AppTest, table: str) -> pd.DataFrame:
    """The rows of one of the page's tables (found by a column only it has)."""
    return next(df.value for df in at.dataframe if TABLES[table] in df.value.columns)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_its_title_and_no_error(monkeypatch, network_db, page):
    at = open_page(monkeypatch, network_db, page)
    titles = {"overview": "Overview", "entities": "Entities", "stories": "Stories", "articles": "Articles",
              "outlets": "Outlets", "crawl": "Crawl health"}
    assert at.title[0].value == titles[page]
    assert not at.error
    assert "12 articles" in at.sidebar.caption[0].value or "10 articles" in at.sidebar.caption[0].value


def test_the_daily_chart_has_every_day_in_the_range_with_zeros_for_gaps(monkeypatch, network_db):
    at = open_page(monkeypatch, network_db, entities=["China", "Taiwan"], **{"from": "2022-06-01", "to": "2022-06-20"})
    data = chart_data(at)
    days = [date(2022, 6, 1) + timedelta(days=i) for i in range(20)]
    for name in ("China", "Taiwan"):
        rows = data[data["name"] == name].sort_values("day")
        assert [d.date() for d in rows["day"]] == days, name  # every day, none skipped
        assert (rows["value"] >= 0).all()
    taiwan = data[data["name"] == "Taiwan"].set_index("day")["value"]
    assert taiwan[pd.Timestamp("2022-06-01")] == 0 and taiwan.sum() >= 1
    assert at.multiselect[0].value == ["China", "Taiwan"]


def test_share_and_seven_day_average(monkeypatch, network_db):
    counts = chart_data(open_page(monkeypatch, network_db, entities=["China"], **{"from": "2022-06-10",
                                                                                 "to": "2022-06-17"}))
    share = chart_data(open_page(monkeypatch, network_db, entities=["China"], measure="Share",
                                 **{"from": "2022-06-10", "to": "2022-06-17"}))
    smooth = chart_data(open_page(monkeypatch, network_db, entities=["China"], smooth="true",
                                  **{"from": "2022-06-10", "to": "2022-06-17"}))
    assert share["value"].between(0, 1).all() and share["value"].max() == 1.0
    assert smooth["value"].iloc[-1] == pytest.approx(counts["value"].tail(7).mean())
    assert counts["value"].sum() > 0


def test_rising_and_latest_articles_show_every_column(monkeypatch, network_db):
    at = open_page(monkeypatch, network_db)
    rising = frame(at, "rising")
    assert {"name", "recent_articles", "baseline_articles", "ratio", "z"} <= set(rising.columns)
    assert "China" in set(rising["name"])
    latest = frame(at, "latest")
    assert {"outlet", "title", "url", "found_via"} <= set(latest.columns) and len(latest) == 10


def test_entity_search_resolves_aliases_and_case(monkeypatch, network_db):
    at = open_page(monkeypatch, network_db, "entities", q="mr xi")
    assert at.header[0].value == "Xi Jinping"
    assert "by its alias" in at.caption[0].value
    together = frame(at, "together")
    assert {"lift", "pmi"} <= set(together.columns) and "Vladimir Putin" in set(together["name"])
    outlets = frame(at, "entity_outlets")
    assert set(outlets["outlet"]) == {"The Harbour Courier", "The Lakeside Post", "The Northern Ledger"}
    assert len(frame(at, "entity_articles")) >= 4


def test_a_typo_suggests_close_names_and_a_suggestion_opens_the_profile(monkeypatch, network_db):
    at = open_page(monkeypatch, network_db, "entities", q="Tawian")
    assert "No entity is written" in at.warning[0].value
    taiwan = next(b for b in at.button if b.label.startswith("Taiwan"))
    taiwan.click().run()
    assert at.header[0].value == "Taiwan" and at.text_input[0].value == "Taiwan"


def test_a_story_page_shows_its_outlets_in_publishing_order_and_its_copies(monkeypatch, network_db):
    at = open_page(monkeypatch, network_db, "stories")
    stories = frame(at, "story_table")
    seed = stories[stories["label"].str.contains("Vladimir Putin")].iloc[0]
    assert seed["outlets"] == 3 and seed["copies"] == seed["articles"] + 2
    assert len(chart_data(at)) == len(stories)  # one bar per story
    at = open_page(monkeypatch, network_db, "stories", story=seed["story_id"])
    assert "Vladimir Putin" in at.header[0].value
    who = frame(at, "story_outlets")
    assert list(who["publish_order"]) == [1, 2, 3] and who.iloc[0]["outlet"] == "The Harbour Courier"
    members = frame(at, "story_articles")
    assert (members["copy_of"] == "The Harbour Courier").sum() == 2
    days = chart_data(at)
    assert set(days["outlet"]) == set(who["outlet"])
    span = pd.date_range(days["day"].min(), days["day"].max())
    assert len(days) == len(span) * 3  # every day of the story for every outlet


def test_articles_show_outlet_and_why_and_filter(monkeypatch, network_db):
    every = frame(open_page(monkeypatch, network_db, "articles"), "articles")
    assert len(every) == 12 and every["outlet"].nunique() == 3
    assert set(every["relation"]) == {"seed", "linked", "search"}
    why = dict(zip(every["relation"], every["found_via"], strict=False))
    assert why["seed"] == "seed" and why["linked"].startswith("linked from http://127.0.0.1:")
    assert why["search"].startswith(("gdelt search: ", "rss search: ")) and "Xi Jinping" in why["search"]
    assert every["shared_with_seeds"].map(len).gt(0).all()

    search = frame(open_page(monkeypatch, network_db, "articles", relation="search"), "articles")
    assert set(search["relation"]) == {"search"} and 0 < len(search) < 12
    lakeside = frame(open_page(monkeypatch, network_db, "articles", outlet="The Lakeside Post"), "articles")
    assert set(lakeside["outlet"]) == {"The Lakeside Post"}
    no_copies = frame(open_page(monkeypatch, network_db, "articles", copies="false"), "articles")
    assert len(no_copies) == 10 and no_copies["copy_of"].isna().all()
    xi = open_page(monkeypatch, network_db, "articles", entity="xi")
    assert "is Xi Jinping" in " ".join(c.value for c in xi.caption)
    assert 0 < len(frame(xi, "articles")) < 12
    story = every[every["story"].str.contains("Vladimir Putin", na=False)]["story_id"].iloc[0]
    in_story = frame(open_page(monkeypatch, network_db, "articles", story=story), "articles")
    assert len(in_story) == 6 and in_story["story_id"].eq(story).all()


def test_outlets_per_day_and_first_to_publish(monkeypatch, network_db):
    at = open_page(monkeypatch, network_db, "outlets", **{"from": "2022-06-10", "to": "2022-06-17"})
    per_day = chart_data(at)
    assert per_day.groupby("outlet").size().eq(8).all()  # 8 days for each outlet, zeros included
    assert per_day["articles"].sum() == 11  # every copy in those days counts as its outlet's coverage
    firsts = frame(at, "first_table")
    call = firsts[firsts["story"].str.contains("Vladimir Putin")].iloc[0]
    assert (call["first_outlet"], call["next_outlet"], call["lead_hours"]) == \
        ("The Harbour Courier", "The Lakeside Post", 2.5)


def test_crawl_health(monkeypatch, network_db):
    at = open_page(monkeypatch, network_db, "crawl")
    states = set(chart_data(at)["state"])
    assert {"stored", "irrelevant", "robots_disallowed"} <= states
    assert frame(at, "failures")["urls"].sum() >= 1
    assert len(frame(at, "publications")) >= 1 and len(frame(at, "searches")) == 2


def test_missing_warehouse_is_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSMON_DB", str(tmp_path / "absent.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert at.error and "Cannot open the warehouse" in at.error[0].value and "newsmon run" in at.error[0].value


def test_updated_and_removed_articles_are_marked(monkeypatch, tmp_path):
    from newsmon.pipeline import run_cycle
    from sample_site import SampleSite
    from sample_site.living import REMOVE_AT
    from tests.conftest import make_settings

    with SampleSite() as site:
        settings = make_settings(tmp_path, site, revisit_after_s=[0.0])
        run_cycle(settings)
        while site.edition < REMOVE_AT:  # the update and the removal are both out
            site.advance()
        run_cycle(settings)
    shown = frame(open_page(monkeypatch, settings.db, "articles"), "articles").set_index("title")
    assert pd.notna(shown.loc["Beijing orders mass testing after bar outbreak spreads across the city", "removed_at"])
    assert shown.loc["Living next door to China: Taiwan watches Ukraine and prepares", "version"] == 2


def test_newsmon_dashboard_stops_with_its_server_on_sigterm(sample_db, tmp_path):
    """`newsmon dashboard` becomes the server: a supervisor's SIGTERM stops it, and no server is left behind."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.dashboard.browser import ROOT, free_port

    port = free_port()
    config = tmp_path / "dashboard.toml"
    config.write_text(f'seeds = ["https://news.example/seed"]\ndb = "{sample_db}"\n', encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "newsmon", "dashboard", "--config", str(config), "--port",
                             str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        import socket

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        assert proc.poll() is None, proc.stderr.read().decode()
        with open(f"/proc/{proc.pid}/cmdline", "rb") as fh:
            assert b"streamlit" in fh.read()  # the process itself is the server
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    leftovers = [pid for pid in os.listdir("/proc") if pid.isdigit() and _serves(pid, port)]
    assert leftovers == []


def _serves(pid: str, port: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return f"--server.port\0{port}\0".encode() in fh.read()
    except OSError:
        return False


def test_queries_that_read_only_their_days_agree_with_the_views(network_db):
    """The articles page's detail (read by the page's days), the series' day totals (the range's days only) and
    the summary's first and last day (from articles) give what views article_list and articles_daily give."""
    from dashboard import data
    from tests.conftest import read_rows

    wh = data.Warehouse.at(network_db)
    start, end = date(2022, 6, 1), date(2022, 6, 30)
    page, total = data.articles(wh, start, end)
    listed = read_rows(network_db, "select article_id from article_list where day between '2022-06-01' and "
                                   "'2022-06-30' order by coalesce(published_at, fetched_at) desc, article_id")
    assert total == len(listed) and list(page["article_id"]) == [aid for (aid,) in listed]
    assert pd.to_datetime(page["published_at"]).dt.date.nunique() > 2  # the detail spans several days
    assert data.articles(wh, date(2030, 1, 1), date(2030, 1, 31))[1] == 0

    daily = dict(read_rows(network_db, "select day, articles from articles_daily"))
    series = data.entity_series(wh, ["Xi Jinping"], start, end)
    assert len(series) == 30 and sum(daily.values()) > 0
    assert {row.day.date(): row.day_articles for row in series.itertuples()} == \
        {start + timedelta(days=i): daily.get(start + timedelta(days=i), 0) for i in range(30)}

    summary = data.summary(wh)
    assert (summary["first_day"].date(), summary["last_day"].date()) == (min(daily), max(daily))
