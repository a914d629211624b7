"""Scheduled monitoring over the living sample site: twelve cycles with a budget smaller than the site lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon.pipeline import run_cycle
from sample_site import SampleSite
from sample_site.living import REMOVE_AT, REMOVED_SLUG, UPDATE_AT, UPDATE_PARAGRAPH, UPDATED_SLUG
from tests.conftest import make_settings, read_rows

EDITIONS = 9
IDLE = 2
BUDGET = 8


@pytest.fixture(scope="module")
def monitored(tmp_path_factory):
    """Cycle 0 on edition 0, cycles 1..EDITIONS each on a new edition, then IDLE cycles on the last one."""
    tmp = tmp_path_factory.mktemp("monitor")
    with SampleSite() as site:
        # every stored page is due at once, so revisits compete for the budget every cycle
        settings = make_settings(tmp, site, max_pages=BUDGET, max_pages_per_host=BUDGET, revisit_after_s=[0.0])
        cycles = []
        for n in range(EDITIONS + IDLE + 1):
            if 0 < n <= EDITIONS:
                site.advance()
            first_hit = len(site.hits)
            report = run_cycle(settings)
            stored = {u.rsplit("/", 1)[-1] for (u,) in read_rows(settings.db, "select canonical_url from articles")}
            cycles.append({"edition": site.edition, "hits": site.hits[first_hit:], "states": report.states,
                           "stored": stored, "staging": sorted((Path(settings.data_dir) / "staging").iterdir())})
        yield settings, cycles


def test_every_related_article_is_stored_by_the_cycle_after_it_appears(monitored):
    _, cycles = monitored
    same_cycle = 0
    for k in range(1, EDITIONS + 1):
        slug = f"xi-putin-follow-up-{k}"
        assert slug not in cycles[k - 1]["stored"]
        assert slug in cycles[min(k + 1, len(cycles) - 1)]["stored"], f"edition {k}'s article not stored in time"
        same_cycle += slug in cycles[k]["stored"]
    assert same_cycle >= EDITIONS // 2, f"only {same_cycle} of {EDITIONS} stored in the cycle they appeared"


def test_nothing_is_starved(monitored):
    """Everything the budget cut in early cycles is fetched later: nothing stays queued for good."""
    settings, cycles = monitored
    assert "queued" in cycles[0]["states"]  # the first cycle could not take everything
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
    for cycle in cycles[-IDLE:]:
        pages = [h for h in cycle["hits"] if h.path.split("?")[0] not in ("/robots.txt",)]
        assert pages, "an idle cycle made no requests at all"
        assert not [h.path for h in pages if h.status == 200], "an idle cycle downloaded a page again"
        assert {h.status for h in pages} <= {304, 301, 410}


def test_no_cycle_exceeds_its_budget_and_staging_is_emptied(monitored):
    _, cycles = monitored
    for n, cycle in enumerate(cycles):
        pages = [h for h in cycle["hits"] if h.path != "/robots.txt" and h.status not in (301, 302)]
        assert len(pages) <= BUDGET, f"cycle {n} fetched {len(pages)} pages"
        assert cycle["staging"] == [], f"cycle {n} left staging files"
