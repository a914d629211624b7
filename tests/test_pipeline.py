"""A full ingestion cycle in-process against the sample site over HTTP on 127.0.0.1."""

import itertools
from collections import Counter
from datetime import timedelta

import pytest

from newsmon.pipeline import run_cycle
from tests.conftest import make_settings, read_rows

STORED = {"xi-putin-call", "beijing-omicron-lockdown", "wallace-china-watching", "taiwan-next-door",
          "bar-outbreak-testing", "pacific-islands-tour", "kremlin-beijing-trade", "covid-zero-economy"}


@pytest.fixture(scope="module")
def cycle(tmp_path_factory, site):
    tmp = tmp_path_factory.mktemp("cycle")
    settings = make_settings(tmp, site)
    report = run_cycle(settings)
    return settings, report


def test_seed_and_related_articles_stored_once(cycle, site):
    settings, report = cycle
    rows = read_rows(settings.db, "select canonical_url, relation, hops, relevance from articles")
    slugs = {url.rsplit("/", 1)[-1] for url, *_ in rows}
    assert slugs == STORED
    assert len(rows) == len(STORED)
    by_slug = {url.rsplit("/", 1)[-1]: (rel, hops, score) for url, rel, hops, score in rows}
    assert by_slug["xi-putin-call"] == ("seed", 0, None)
    assert by_slug["taiwan-next-door"][:2] == ("linked", 1)
    assert by_slug["pacific-islands-tour"][:2] == ("linked", 2)
    assert by_slug["kremlin-beijing-trade"][0] == "feed"
    assert by_slug["kremlin-beijing-trade"][2] >= settings.relevance_threshold
    assert report.checks >= 10


def test_every_url_has_one_ledger_state_with_reason(cycle, site):
    settings, _ = cycle
    ledger = {url.replace(site.base_url, ""): (state, detail)
              for url, state, detail in read_rows(settings.db, "select url, state, detail from urls")}
    assert ledger["/private/embargoed-briefing"][0] == "robots_disallowed"
    assert ledger["/topics/china"][0] == "not_article"
    assert ledger["/amp/news/beijing-omicron-lockdown"][0] == "duplicate"
    assert ledger["/story/1002"][0] == "duplicate"
    assert ledger["/news/allotment-show"][0] == "irrelevant"
    assert "relevance" in ledger["/news/allotment-show"][1]
    assert ledger["/news/ferry-timetable"][0] == "irrelevant"
    assert ledger["/feed.xml"][0] == "feed"
    assert "/news/solomon-security-pact" not in ledger  # three hops away: beyond max_depth
    assert "/login" not in ledger and "/about" not in ledger and "/" not in ledger  # chrome not followed
    assert Counter(state for state, _ in ledger.values())["stored"] == len(STORED)


def test_canonical_entities(cycle):
    settings, _ = cycle
    names = {n for (n,) in read_rows(settings.db, "select name from entities")}
    assert {"Xi Jinping", "Vladimir Putin", "Ben Wallace", "China", "Taiwan", "Beijing"} <= names
    assert not {"Mr Xi", "President Xi", "Xi", "Mr Wallace", "Wallace", "Xi Jinping's"} & names
    surfaces = {s for (s,) in read_rows(settings.db, """
        select m.surface from mentions m join entities e using (entity_id) where e.name = 'Xi Jinping'""")}
    assert "Xi Jinping" in surfaces and len(surfaces) >= 2
    dupes = read_rows(settings.db, "select lower(name), type, count(*) from entities group by all having count(*) > 1")
    assert dupes == []


def test_places_aliases_and_salience(cycle):
    settings, _ = cycle
    places = dict(read_rows(settings.db, "select name, country_code from entities where type = 'GPE'"))
    assert places["China"] == "CN" and places["United Kingdom"] == "GB" and places["Beijing"] == "CN"
    assert "UK" not in places and "Britain" not in places
    geo = dict(read_rows(settings.db, "select name, geonames_id from entities where name in ('China', 'Beijing')"))
    assert geo == {"China": 1814991, "Beijing": 1816670}
    norp = dict(read_rows(settings.db, "select name, country_code from entities where type = 'NORP'"))
    assert norp["Chinese"] == "CN"
    aliases = {a for (a,) in read_rows(settings.db, """
        select alias from entity_aliases join entities using (entity_id) where name = 'Xi Jinping'""")}
    assert {"Xi Jinping", "Xi", "Mr Xi", "President Xi"} <= aliases
    assert "Omicron" not in {n for (n,) in read_rows(settings.db, "select name from entities")}
    top = read_rows(settings.db, """
        select e.name, ae.in_headline, ae.salience from article_entities ae join entities e using (entity_id)
        join articles a using (article_id) where a.relation = 'seed' order by ae.salience desc limit 3""")
    assert top[0][0] == "Xi Jinping" and top[0][1] is True
    assert read_rows(settings.db, "select count(*) from person_alias_merges") == [(0,)]


def test_entity_daily_by_publication_day(cycle):
    settings, _ = cycle
    rows = read_rows(settings.db, "select day, mentions, articles from entity_daily "
                                  "where name = 'Xi Jinping' order by day")
    days = [str(d) for d, _, _ in rows]
    assert "2022-06-15" in days  # the seed's publication day (08:30 UTC)
    assert all(m >= a >= 1 for _, m, a in rows)


def test_the_publishers_day_is_stored_beside_the_utc_instant(cycle):
    settings, _ = cycle
    rows = read_rows(settings.db, "select published_at, published_day, published_offset_min from articles")
    assert rows and all(day is not None and offset is not None for _, day, offset in rows)
    assert all(day == (at + timedelta(minutes=offset)).date() for at, day, offset in rows)
    assert {offset for _, _, offset in rows} <= {0, 60}  # the sample site's stamps are +00:00 or +01:00


def test_politeness_holds_across_stages(tmp_path, fresh_site):
    """discover and the fetch shards are separate tasks: robots.txt is still fetched once per run and
    no two requests to the host come closer together than per_host_delay_s."""
    settings = make_settings(tmp_path, fresh_site, per_host_delay_s=0.25)
    run_cycle(settings)
    paths = [h.path for h in fresh_site.hits]
    assert paths.count("/robots.txt") == 1
    stamps = [h.at for h in fresh_site.hits]
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert len(gaps) >= 15 and min(gaps) >= 0.2  # sent 0.25 s apart; the server sees some jitter
    assert {h.user_agent for h in fresh_site.hits} == {settings.full_user_agent}
