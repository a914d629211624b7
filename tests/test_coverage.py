"""Coverage beyond one publisher, against the sample network (three hosts on 127.0.0.1, local GDELT and
RSS search endpoints): search results fetched and scored with their provider and query, failing
providers costing only themselves, news sitemap entries discovered, wire copies counted once, stories."""

from __future__ import annotations

import pytest

from newsmon.pipeline import run_cycle
from sample_site import SampleNetwork
from tests.conftest import make_settings, read_rows
from warehouse.checks import run_checks

SEARCH_PATHS = ("/api/v2/doc/doc", "/rss/search", "/api/fail429/doc", "/rss/fail500")


@pytest.fixture(scope="module")
def network():
    with SampleNetwork() as net:
        yield net


def searching(net: SampleNetwork, *failing: str) -> list[dict]:
    sources = [{"provider": "gdelt", "endpoint": net.gdelt_endpoint, "min_interval_s": 0.0, "max_records": 50},
               {"provider": "rss", "endpoint": net.rss_endpoint, "min_interval_s": 0.0}]
    if "429" in failing:
        sources.append({"provider": "gdelt", "endpoint": net.base_url + "/api/fail429/doc", "min_interval_s": 0.0})
    if "500" in failing:
        sources.append({"provider": "rss", "endpoint": net.base_url + "/rss/fail500?q={query}",
                        "min_interval_s": 0.0})
    return sources


@pytest.fixture(scope="module")
def searched(tmp_path_factory, network):
    """One cycle with both providers and two failing ones (429 and 500), then a second cycle."""
    settings = make_settings(tmp_path_factory.mktemp("coverage"), network.seed_site,
                             search=searching(network, "429", "500"), sitemap_days=0.0)
    first = run_cycle(settings)
    second = run_cycle(settings)
    return settings, first, second


def article_id(db, url: str) -> str:
    return read_rows(db, f"select article_id from articles where url = '{url}'")[0][0]


def test_search_results_are_fetched_scored_and_kept_with_provider_and_query(searched, network):
    settings, _first, _ = searched
    rows = read_rows(settings.db, "select url, state, relation, search_provider, search_query, detail from urls "
                                  "where search_provider is not null")
    assert rows and all(r[2] == "search" and r[4] == '"Xi Jinping" "Vladimir Putin" china' for r in rows)
    by_url = {r[0]: r for r in rows}
    wire = network.url("lakeside", "world/2022/06/15/xi-putin-call-wire")
    chess = network.url("lakeside", "local/2022/06/15/chess-club-centenary")
    own = network.url("northern", "news/analysis/beijing-moscow-leaders-speak-again")
    assert by_url[own][1] == "stored"
    assert by_url[wire][1] == "stored"
    assert by_url[chess][1] == "irrelevant" and by_url[chess][5].startswith("relevance ")
    relevance = read_rows(settings.db, f"select relevance, related_via from articles where url = '{own}'")[0]
    assert relevance[0] >= settings.relevance_threshold and "/api/v2/doc/doc?" in relevance[1]


def test_a_provider_answering_429_or_500_costs_only_itself(searched):
    settings, first, _second = searched
    searches = read_rows(settings.db, "select provider, endpoint, state, http_status, results, detail, run_id "
                                      "from searches order by run_id, endpoint")
    assert len(searches) == 8  # four sources, two cycles
    for _provider, endpoint, state, status, results, detail, _ in searches:
        if "/fail" in endpoint:
            assert (state, results) == ("failed", 0) and status in (429, 500) and str(status) in detail
        else:
            assert state == "ok" and status == 200 and results > 5 and detail == f"{results} results"
    assert first.states["stored"] >= 10 and first.checks >= 10
    run_checks(settings.db)


def test_the_second_cycle_queries_from_the_stored_seed_profile(searched):
    settings, _, _ = searched
    queries = read_rows(settings.db, "select distinct query from searches")
    assert queries == [('"Xi Jinping" "Vladimir Putin" china',)]  # cold start (round 1 parse) = stored profile


def test_wire_and_edited_copies_point_at_the_original_and_count_once(searched, network):
    settings, _, _ = searched
    db = settings.db
    seed = article_id(db, network.url("courier", "xi-putin-call"))
    wire = network.url("lakeside", "world/2022/06/15/xi-putin-call-wire")
    edited = network.url("northern", "news/world/xi-putin-second-call")
    own = network.url("northern", "news/analysis/beijing-moscow-leaders-speak-again")
    dups = dict(read_rows(db, "select url, duplicate_of from articles"))
    assert dups[wire] == seed and dups[edited] == seed  # the earliest copy is the representative
    assert dups[network.url("courier", "xi-putin-call")] is None and dups[own] is None  # own words: no copy
    # each copy stays queryable with its own outlet and URL
    outlets = dict(read_rows(db, f"select url, site_name from articles where url in ('{wire}', '{edited}')"))
    assert outlets == {wire: "The Lakeside Post", edited: "The Northern Ledger"}
    (daily,), = read_rows(db, "select articles from entity_daily_mart where name = 'Vladimir Putin' "
                              "and day = date '2022-06-15'")
    (with_copies,), = read_rows(db, "select count(distinct a.article_id) from articles as a "
                                    "join article_entities using (article_id) join entities as e using (entity_id) "
                                    "where e.name = 'Vladimir Putin' "
                                    "and cast(coalesce(a.published_at, a.fetched_at) as date) = date '2022-06-15'")
    (representatives,), = read_rows(db, "select count(distinct a.article_id) from articles as a "
                                        "join article_entities using (article_id) join entities as e using (entity_id) "
                                        "where e.name = 'Vladimir Putin' and a.duplicate_of is null "
                                        "and cast(coalesce(a.published_at, a.fetched_at) as date) = date '2022-06-15'")
    assert with_copies == representatives + 2 and daily == representatives
    assert read_rows(db, "select articles from entity_daily where name = 'Vladimir Putin' "
                         "and day = date '2022-06-15'") == [(representatives,)]


def test_the_seed_story_holds_its_coverage_and_unrelated_articles_are_elsewhere(searched, network):
    settings, _, _ = searched
    db = settings.db
    story = dict(read_rows(db, "select url, story_id from articles"))
    seed_story = story[network.url("courier", "xi-putin-call")]
    same = [network.url("lakeside", "world/2022/06/15/xi-putin-call-wire"),
            network.url("northern", "news/world/xi-putin-second-call"),
            network.url("northern", "news/analysis/beijing-moscow-leaders-speak-again"),
            network.url("courier", "xi-putin-readouts-compared")]
    assert all(story[u] == seed_story for u in same)
    for other in ("wallace-china-watching", "taiwan-next-door", "beijing-omicron-lockdown", "solomon-security-pact"):
        assert story[network.url("courier", other)] != seed_story, other
    (size, copies, outlets, label), = read_rows(db, "select size, copies, outlets, label from stories "
                                                    f"where story_id = '{seed_story}'")
    assert copies == size + 2 and outlets == 3 and "Xi Jinping" in label and "Vladimir Putin" in label
    timeline = read_rows(db, f"select day, articles, copies from story_timeline where story_id = '{seed_story}' "
                             "order by day")
    assert sum(r[2] for r in timeline) == copies and sum(r[1] for r in timeline) == size
    (putin,), = read_rows(db, f"select sum(articles) from story_entity_daily where story_id = '{seed_story}' "
                              "and name = 'Vladimir Putin'")
    assert putin == size


def test_news_sitemap_entries_are_discovered(tmp_path, network):
    settings = make_settings(tmp_path, network.seed_site, sitemap_days=0.0)
    run_cycle(settings)
    readouts = network.url("courier", "xi-putin-readouts-compared")  # listed only in the news sitemap
    assert read_rows(settings.db, f"select state, relation, discovered_from from urls where url = '{readouts}'") == \
        [("stored", "sitemap", network.base_url + "/sitemap_news.xml")]
    (state, detail, is_feed), = read_rows(settings.db, "select state, detail, is_feed from urls "
                                                      "where url like '%/sitemap_news.xml'")
    assert (state, is_feed) == ("feed", True) and detail.startswith("sitemap with 12 entries")
    # the seed host's robots.txt names its sitemap, so the usual locations are not probed
    assert not [h for h in network.seed_site.hits if h.path in ("/sitemap.xml", "/news-sitemap.xml")]


def test_sitemap_days_leaves_old_entries_out(tmp_path, network):
    settings = make_settings(tmp_path, network.seed_site)  # default sitemap_days: 2, the sample is from 2022
    run_cycle(settings)
    (detail,), = read_rows(settings.db, "select detail from urls where url like '%/sitemap_news.xml'")
    assert detail == "sitemap with 0 entries within sitemap_days 2 (12 older or undated left out)"
    readouts = network.url("courier", "xi-putin-readouts-compared")
    assert read_rows(settings.db, f"select count(*) from urls where url = '{readouts}'") == [(0,)]
