"""The frontier's policy: revisit schedule, budgets, priority order; and bounded disk use."""

import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.frontier import DEFAULT_REVISIT_STEPS_S, Budget, next_due, order_revisits, order_unfetched
from extract.rawstore import RawStore
from extract.retention import FAILED_MARK, collect_raw, finish_run
from tests.conftest import make_settings

T0 = datetime(2026, 3, 1, 12, 0)
H = timedelta(hours=1)


def test_revisits_decay_with_time_since_first_seen():
    steps = DEFAULT_REVISIT_STEPS_S
    checks, at = [], T0
    while (at := next_due(T0, at, steps, revisit_days=30)) is not None:
        checks.append(at - T0)
    gaps = [(b - a) / H for a, b in zip([timedelta(0), *checks], checks, strict=False)]
    assert gaps[:6] == [1, 3, 9, 24, 72, 168]  # 1 h, 3 h, 9 h, 1 d, 3 d, then weekly
    assert set(gaps[6:]) == {168}
    assert checks[-1] <= timedelta(days=30 + 7)


def test_schedule_counts_from_first_seen_not_publication():
    # a seed published years ago but first seen now is revisited within the hour
    assert next_due(T0, T0, DEFAULT_REVISIT_STEPS_S, 30) == T0 + H
    # a page first seen 40 days ago is past revisit_days: no scheduled revisit
    assert next_due(T0 - timedelta(days=40), T0, DEFAULT_REVISIT_STEPS_S, 30) is None
    # a late check picks the interval of its age
    assert next_due(T0, T0 + 10 * H, DEFAULT_REVISIT_STEPS_S, 30) == T0 + 19 * H


def test_budget_per_run_and_per_host(tmp_path):
    budget = Budget(total=5, per_host=2)
    urls = ["http://a.example/1", "http://a.example/2", "http://a.example/3", "http://b.example/1",
            "http://c.example/1", "http://c.example/2", "http://d.example/1"]
    taken = [u for u in urls if budget.take(u)]
    assert taken == ["http://a.example/1", "http://a.example/2", "http://b.example/1", "http://c.example/1",
                     "http://c.example/2"]
    budget.save(tmp_path / "b.json")
    again = Budget.load(tmp_path / "b.json")
    assert not again.take("http://d.example/1") and again.used == 5


def test_priority_orders():
    rows = [{"url": "u1", "first_seen_at": T0}, {"url": "u2", "first_seen_at": T0 + H},
            {"url": "u0", "first_seen_at": T0}]
    assert [r["url"] for r in order_unfetched(rows)] == ["u2", "u0", "u1"]  # newest discovery first
    due = [{"url": "d2", "next_due_at": T0 + H, "last_checked_at": T0}, {"url": "d1", "next_due_at": T0,
                                                                      "last_checked_at": T0}]
    stale = [{"url": "s1", "next_due_at": None, "last_checked_at": T0 - 5 * H},
             {"url": "d1", "next_due_at": T0, "last_checked_at": T0},
             {"url": "s0", "next_due_at": None, "last_checked_at": T0 - 9 * H}]
    assert [r["url"] for r in order_revisits(due, stale)] == ["d1", "d2", "s0", "s1"]


def test_finish_run_removes_good_runs_and_keeps_the_newest_failed(tmp_path, site):
    settings = make_settings(tmp_path, site, keep_failed_runs=2)
    staging = Path(settings.data_dir) / "staging"
    (staging / "failed0").mkdir(parents=True)
    finish_run(settings, "failed0", ok=False)  # a failed run is kept and marked
    assert (staging / "failed0" / FAILED_MARK).exists()
    for n in range(1, 4):
        (staging / f"failed{n}").mkdir()
        (staging / f"failed{n}" / FAILED_MARK).write_text("failed\n")
    for n in range(4):
        os.utime(staging / f"failed{n}", (time.time() - 100 + n, time.time() - 100 + n))
    (staging / "good" / "batch").mkdir(parents=True)
    removed = finish_run(settings, "good", ok=True)
    assert sorted(p.name for p in staging.iterdir()) == ["failed2", "failed3"]
    assert all((staging / n / FAILED_MARK).exists() for n in ("failed2", "failed3"))
    assert str(staging / "good") in removed


def test_expired_raw_bodies_nothing_refers_to_are_collected(tmp_path, site):
    settings = make_settings(tmp_path, site, raw_retention_days=1)
    store = RawStore(settings.data_dir)
    old_kept, old_orphan, new_orphan = store.put(b"kept"), store.put(b"orphan"), store.put(b"fresh")
    past = time.time() - 3 * 86400
    for sha in (old_kept, old_orphan):
        os.utime(store.path(sha), (past, past))
    asked = []

    def referenced(hashes):
        asked.extend(hashes)
        return {old_kept} & set(hashes)

    assert collect_raw(settings, referenced) == 1
    assert sorted(asked) == sorted([old_kept, old_orphan])  # only expired files are looked up
    assert store.has(old_kept) and store.has(new_orphan) and not store.has(old_orphan)


PROFILE = {"entities": [["Xi Jinping", "PERSON", 0.9], ["Vladimir Putin", "PERSON", 0.8], ["China", "GPE", 0.6],
                        ["Russia", "GPE", 0.5]],
           "keywords": ["sanctions", "trade"], "titles": ["Xi and Putin speak again"]}


def test_hint_score_counts_the_seeds_entities_and_keywords_a_hint_names():
    from core.frontier import hint_score

    assert hint_score(PROFILE, "China and Russia talk trade after Xi and Putin call") == pytest.approx(
        0.6 + 0.5 + 0.8 + 0.1)  # Putin by his last name; "Xi" alone is the first word, not the surname
    assert hint_score(PROFILE, "President Xi Jinping speaks") == pytest.approx(0.9)
    assert hint_score(PROFILE, "Harbour notes: volunteers rally round the library roof") == 0
    assert hint_score(PROFILE, "Chinaware sale at the museum") == 0  # whole words only
    assert hint_score({}, "China") == 0 and hint_score(PROFILE, None) == 0 and hint_score(PROFILE, "") == 0


def test_rank_candidates_puts_feeds_then_likely_related_then_waiting_then_new_then_sitemaps():
    from core.frontier import rank_candidates

    cands = [{"url": "u/unrelated-new", "hint": "Harbour notes: the library roof"},
             {"url": "u/sitemap", "is_feed": True, "relation": "sitemap"},
             {"url": "u/related-weak", "hint": "Trade fair in Russia"},
             {"url": "u/waiting", "kind": "waiting"},
             {"url": "u/feed", "is_feed": True, "relation": "feed"},
             {"url": "u/related-strong", "hint": "Xi Jinping calls Vladimir Putin"}]
    ranked = rank_candidates(cands, PROFILE)
    assert [c["url"] for c in ranked] == ["u/feed", "u/related-strong", "u/related-weak", "u/waiting",
                                          "u/unrelated-new", "u/sitemap"]
    assert [c["kind"] for c in ranked] == ["feed", "likely related", "likely related", "waiting", "new", "sitemap"]
    plain = rank_candidates([dict(c) for c in cands], {})  # no profile yet: discovery order within each group
    assert [c["url"] for c in plain] == ["u/feed", "u/waiting", "u/unrelated-new", "u/related-weak",
                                         "u/related-strong", "u/sitemap"]


def test_budget_counts_what_it_was_spent_on():
    from core.frontier import Budget
    from extract.crawl import budget_words

    budget = Budget(total=3, per_host=3)
    assert budget.take("https://a.example/1", "seed") and budget.take("https://a.example/f", "feed")
    assert budget.take("https://a.example/2", "likely related") and not budget.take("https://a.example/3", "new")
    assert budget_words(budget) == "3 of 3 pages: seed 1, feed 1, likely related 1"
