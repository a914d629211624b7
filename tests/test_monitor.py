"""Scheduled monitoring over the living sample site: thirteen cycles, the first ten with a page budget barely
above what each edition publishes, then idle cycles with room to spare."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon.pipeline import run_cycle
from sample_site import SampleSite
from sample_site.living import REMOVE_AT, REMOVED_SLUG, UPDATE_AT, UPDATE_PARAGRAPH, UPDATED_SLUG
from tests.conftest import make_settings, read_rows

EDITIONS = 9
IDLE = 3  # the first catches up on what waited; the others find nothing new
BUDGET = 3  # barely above what is new per edition (two articles): the seed, the feed and one of them
ROOMY = 30  # the first cycle (the site as it stands) and the idle cycles have room for everything


@pytest.fixture(scope="module")
def monitored(tmp_path_factory):
    """Cycle 0 on edition 0, cycles 1..EDITIONS each on a new edition with a budget of BUDGET pages, then
    IDLE cycles on the last one; cycle 0 and the idle cycles have ROOMY pages."""
    tmp = tmp_path_factory.mktemp("monitor")
    with SampleSite() as site:
        # every stored page is due at once, so revisits compete for the budget every cycle
        settings = make_settings(tmp, site, max_pages=BUDGET, max_pages_per_host=BUDGET, revisit_after_s=[0.0])
        cycles = []
        for n in range(EDITIONS + IDLE + 1):
            if 0 < n <= EDITIONS:
                site.advance()
            pages = BUDGET if 0 < n <= EDITIONS else ROOMY
            settings = settings.model_copy(update={"max_pages": pages, "max_pages_per_host": pages})
            first_hit = len(site.hits)
            report = run_cycle(settings)
            stored = {u.rsplit("/", 1)[-1] for (u,) in read_rows(settings.db, "select canonical_url from articles")}
            cycles.append({"edition": site.edition, "hits": site.hits[first_hit:], "states": report.states,
                           "budget": report.budget, "max_pages": settings.max_pages,
                           "stored": stored, "staging": sorted((Path(settings.data_dir) / "staging").iterdir())})
        yield settings, cycles


def test_new_related_articles_are_stored_in_the_cycle_that_publishes_them(monitored):
    """The budget goes first to the feed items whose title and summary are about the seeds: with room for
    only one of each edition's two new articles, the related one is fetched at once, from the first
    edition on; the unrelated ones wait for a cycle with budget to spare."""
    _, cycles = monitored
    same_cycle = 0
    for k in range(1, EDITIONS + 1):
        slug = f"xi-putin-follow-up-{k}"
        assert slug not in cycles[k - 1]["stored"]
        assert slug in cycles[min(k + 1, len(cycles) - 1)]["stored"], f"edition {k}'s article not stored in time"
        same_cycle += slug in cycles[k]["stored"]
    assert same_cycle >= 0.9 * EDITIONS, f"only {same_cycle} of {EDITIONS} stored in the cycle they appeared"
    assert cycles[1]["budget"] == f"{BUDGET} of {BUDGET} pages: seed 1, feed 1, likely related 1"


def test_nothing_is_starved(monitored):
    """Everything the budget cut in early cycles is fetched later: nothing stays queued for good."""
    settings, cycles = monitored
    assert all("queued" in c["states"] for c in cycles[1:EDITIONS + 1])  # each edition's unrelated item waited
    left = read_rows(settings.db, "select url from urls where state = 'queued'")
    assert left == []
    static = {"xi-putin-call", "beijing-omicron-lockdown", "wallace-china-watching", "kremlin-beijing-trade",
              "covid-zero-economy", "pacific-islands-tour", UPDATED_SLUG}
    assert static <= cycles[-1]["stored"]


def test_updates_and_removals_land(monitored):
    settings, _ = monitored
    (text, version, modified), = read_rows(settings.db, f"""
        select text, version, modified_at from articles where canonical_url like '%/{UPDATED_SLUG}'""")
    assert UPDATE_PARAGRAPH in text and version == 2 and modified is not None
    assert read_rows(settings.db, "select count(*) from mentions m join articles a using (article_id) "
                                  f"where a.canonical_url like '%/{UPDATED_SLUG}' and m.start_char >= "
                                  f"{len(text) - len(UPDATE_PARAGRAPH)}")[0][0] >= 1  # mentions follow the text
    (removed_at,), = read_rows(settings.db,
                               f"select removed_at from articles where canonical_url like '%/{REMOVED_SLUG}'")
    assert removed_at is not None
    states = dict(read_rows(settings.db, f"select url, state from urls where url like '%/news/{REMOVED_SLUG}'"))
    assert list(states.values()) == ["gone"]
    assert UPDATE_AT < REMOVE_AT < EDITIONS


def test_unrelated_items_are_not_stored(monitored):
    settings, cycles = monitored
    assert not {s for s in cycles[-1]["stored"] if s.startswith("harbour-notes-")}
    states = {s for (s,) in read_rows(settings.db, "select state from urls where url like '%/harbour-notes-%'")}
    assert states == {"irrelevant"}


def test_idle_cycles_download_nothing_unchanged(monitored):
    _, cycles = monitored
    for cycle in cycles[-IDLE + 1:]:
        pages = [h for h in cycle["hits"] if h.path.split("?")[0] not in ("/robots.txt",)]
        assert pages, "an idle cycle made no requests at all"
        assert not [h.path for h in pages if h.status == 200], "an idle cycle downloaded a page again"
        assert {h.status for h in pages} <= {304, 301, 410}


def test_no_cycle_exceeds_its_budget_and_staging_is_emptied(monitored):
    _, cycles = monitored
    for n, cycle in enumerate(cycles):
        pages = [h for h in cycle["hits"] if h.path != "/robots.txt" and h.status not in (301, 302)]
        assert len(pages) <= cycle["max_pages"], f"cycle {n} fetched {len(pages)} pages"
        assert cycle["staging"] == [], f"cycle {n} left staging files"
