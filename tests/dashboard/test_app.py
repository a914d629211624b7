"""The dashboard's logic, run by Streamlit's AppTest on the sample site's warehouse."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def run_app(monkeypatch, db):
    monkeypatch.setenv("NEWSMON_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_sections_render_with_the_sample_entities(monkeypatch, sample_db):
    at = run_app(monkeypatch, sample_db)
    assert [s.value for s in at.subheader] == ["Mentions per day", "Rising entities", "Mentioned together",
                                               "Stories", "Related articles", "Crawl health"]
    assert "Xi Jinping" in at.sidebar.multiselect[0].value or "China" in at.sidebar.multiselect[0].value
    rising, together, states, failures = (t.value for t in at.table)
    assert {"Beijing", "China"} <= set(rising["name"])
    assert "Vladimir Putin" in set(together["name"]) or "Beijing" in set(together["name"])
    assert {"stored", "irrelevant", "robots_disallowed"} <= set(states["state"])
    assert failures["urls"].sum() >= 1
    articles = at.markdown[0].value
    assert "Xi tells Putin China will keep backing Russia" in articles and "*seed*" in articles
    assert "feed, relevance" in articles and "linked, 1 hop(s)" in articles


def test_choosing_an_entity_changes_the_cooccurrence(monkeypatch, sample_db):
    at = run_app(monkeypatch, sample_db)
    at.selectbox[0].select("Taiwan").run()
    together = at.table[1].value
    assert "Ben Wallace" in set(together["name"]) or "China" in set(together["name"])
    assert "Taiwan" not in set(together["name"])


def test_missing_warehouse_is_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSMON_DB", str(tmp_path / "absent.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert at.error and "Cannot open the warehouse" in at.error[0].value


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
    articles = run_app(monkeypatch, settings.db).markdown[0].value
    line = {ln.split("[", 1)[1].split("]")[0]: ln for ln in articles.splitlines() if "[" in ln}
    assert "removed by the site" in line["Beijing orders mass testing after bar outbreak spreads across the city"]
    assert "updated (v2)" in line["Living next door to China: Taiwan watches Ukraine and prepares"]


def test_the_story_timeline_and_copies_show_across_publishers(monkeypatch, tmp_path):
    from newsmon.pipeline import run_cycle
    from sample_site import SampleNetwork
    from tests.conftest import make_settings

    with SampleNetwork() as net:
        settings = make_settings(tmp_path, net.seed_site, sitemap_days=0.0, search=[
            {"provider": "gdelt", "endpoint": net.gdelt_endpoint, "min_interval_s": 0.0}])
        run_cycle(settings)
    at = run_app(monkeypatch, settings.db)
    stories = at.dataframe[0].value
    seed_story = stories[stories["label"].str.contains("Vladimir Putin")].iloc[0]
    assert seed_story["outlets"] == 3 and seed_story["copies"] == seed_story["articles"] + 2
    assert "No stories yet." not in [i.value for i in at.info]  # the timeline chart was drawn from:
    from dashboard import data

    timeline = data.story_timeline(settings.db)
    column = next(c for c in timeline.columns if "Vladimir Putin" in c)
    assert timeline[column].sum() == seed_story["articles"]
    articles = at.markdown[0].value
    assert articles.count("copy of an earlier article (The Harbour Courier), counted once") == 2
    assert "search, relevance" in articles and "sitemap, relevance" not in articles
