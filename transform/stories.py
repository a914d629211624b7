"""Stories: related articles grouped into events, incrementally, as they are loaded.

An article (a representative; a near-duplicate takes its representative's story) joins the story of the
stored article it is most similar to, among those at most `story_window_days` apart, when that similarity
reaches `story_threshold`; otherwise it starts a story of its own (story_id = its article_id). New
articles are placed oldest first, so a batch holding a whole event clusters as if it came one by one.

similarity = 0.6 * overlap(top entities) + 0.4 * overlap(keywords), overlap(A, B) = |A ∩ B| / min(|A|, |B|),
over each article's STORY_ENTITIES most salient canonical entities and its 30 salient terms: the same
measure the relevance score uses against the seeds. Placement is single-link and decided once, when
an article is first loaded (a near-duplicate follows its representative's story if that changes).

Candidates cost about the same whatever the volume: an article is compared with placed articles that share
one of its keys (top entities; keywords too when the threshold is low enough for keywords alone to reach
it), read rarest key first, at most MAX_PER_KEY per key (from the nearest days of the window, the latest
placed first) and MAX_CANDIDATES in all. Two articles about the same event share their rare names (a
minister, a town), so a popular key ("China") adds little once rarer ones have been read; without the caps,
placing a batch on a popular entity compared every pair (bench/stories.py measures both)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from math import ceil

from core.config import Grouping
from transform.records import Doc

STORY_ENTITIES = 8
MAX_PER_KEY = 64  # placed articles read per shared key (the nearest in time)
MAX_CANDIDATES = 256  # placed articles compared with one new article, at most (about: a key's read is whole)
DEFAULT_THRESHOLD = Grouping.story_threshold
ENTITY_WEIGHT, TERM_WEIGHT = 0.6, 0.4


def _overlap(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def keywords_are_keys(threshold: float) -> bool:
    """Whether keywords are story keys too: an article sharing no entity scores at most TERM_WEIGHT, so
    below that threshold keywords alone can place it."""
    return threshold <= TERM_WEIGHT


def similarity(a: Doc, b: Doc) -> float:
    """How much two articles are about the same event (see module docstring), in [0, 1]."""
    ea = {e.casefold() for e in a.entities[:STORY_ENTITIES]}
    eb = {e.casefold() for e in b.entities[:STORY_ENTITIES]}
    return ENTITY_WEIGHT * _overlap(ea, eb) + TERM_WEIGHT * _overlap(a.keywords, b.keywords)


def assign_stories(pool: Iterable[Doc], place: set[str], threshold: float = DEFAULT_THRESHOLD,
                   window_days: float = 3.0, key_counts: Mapping[str, int] | None = None) -> dict[str, str]:
    """story_id for each article in `place` (new or changed representatives; duplicates follow their
    representative), given the stored articles of `pool` around them with their stories.

    `key_counts` ("e:" + lower-cased entity name -> placed articles carrying it) is given when the pool
    holds only the candidates a warehouse read by key (warehouse.grouping): the rarest keys are then judged
    by the whole window's counts, not by the pool's. Without it the pool's own placed articles are counted."""
    docs = {d.article_id: d for d in pool}
    window = timedelta(days=window_days)
    days_around = sorted(range(-ceil(window_days), ceil(window_days) + 1), key=abs)  # nearest day first
    # key -> day (ordinal) -> placed articles carrying it, in the order they were added; and per key, how many
    index: dict[str, dict[int, list[tuple[datetime, str]]]] = {}
    carrying: Counter[str] = Counter(key_counts or {})

    with_terms = keywords_are_keys(threshold)

    def keys(d: Doc) -> set[str]:
        out = {"e:" + e.casefold() for e in d.entities[:STORY_ENTITIES]}
        return out | {"t:" + t for t in d.keywords} if with_terms else out

    def add(d: Doc, count: bool = True) -> None:
        for key in keys(d):
            index.setdefault(key, {}).setdefault(d.at.toordinal(), []).append((d.at, d.article_id))
            if count:
                carrying[key] += 1

    entity_sets: dict[str, frozenset[str]] = {}

    def top(d: Doc) -> frozenset[str]:
        if (found := entity_sets.get(d.article_id)) is None:
            found = entity_sets[d.article_id] = frozenset(e.casefold() for e in d.entities[:STORY_ENTITIES])
        return found

    def candidates(d: Doc) -> set[str]:
        found: set[str] = set()
        day = d.at.toordinal()
        for key in sorted(keys(d), key=lambda k: (carrying[k], k)):  # rarest first
            by_day = index.get(key)
            if not by_day:
                continue
            taken = 0
            for delta in days_around:  # the nearest days first, the latest added first within a day
                for at, article_id in reversed(by_day.get(day + delta, ())):
                    if abs(at - d.at) <= window:
                        found.add(article_id)
                        taken += 1
                        if taken >= MAX_PER_KEY:
                            break
                if taken >= MAX_PER_KEY:
                    break
            if len(found) >= MAX_CANDIDATES:
                break
        return found

    for d in sorted((d for d in docs.values() if d.story_id and d.article_id not in place and d.duplicate_of is None),
                    key=Doc.order):
        add(d, count=key_counts is None)  # given counts already include the stored articles
    out: dict[str, str] = {}
    for d in sorted((docs[a] for a in place if a in docs and docs[a].duplicate_of is None), key=Doc.order):
        best, best_score = None, 0.0
        d_top, d_words = top(d), d.keywords
        for other in sorted(candidates(d)):  # similarity(d, o), each article's entity set folded once
            o = docs[other]
            sim = ENTITY_WEIGHT * _overlap(d_top, top(o)) + TERM_WEIGHT * _overlap(d_words, o.keywords)
            if sim > best_score:
                best, best_score = o, sim
        d.story_id = best.story_id if best is not None and best_score >= threshold and best.story_id else \
            d.article_id
        out[d.article_id] = d.story_id
        add(d)
    for d in docs.values():  # copies follow their representative
        if d.duplicate_of and (d.article_id in place or d.duplicate_of in out):
            rep = docs.get(d.duplicate_of)
            story = out.get(d.duplicate_of) or (rep.story_id if rep else None) or d.article_id
            d.story_id = out[d.article_id] = story
    return out
