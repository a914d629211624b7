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
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from math import ceil

import numpy as np
import pyarrow as pa

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
    # key -> day (ordinal) -> placed articles carrying it (their times and rows, in the order they were added);
    # and per key, how many
    index: dict[str, dict[int, tuple[list[datetime], list[int]]]] = {}
    carrying: Counter[str] = Counter(key_counts or {})
    with_terms = keywords_are_keys(threshold)
    tops: dict[str, frozenset[str]] = {}  # per article, folded once

    def top(d: Doc) -> frozenset[str]:
        if (found := tops.get(d.article_id)) is None:
            found = tops[d.article_id] = frozenset(map(str.casefold, d.entities[:STORY_ENTITIES]))
        return found

    def keys(d: Doc) -> set[str]:
        out = {"e:" + e for e in top(d)}
        return out | {"t:" + t for t in d.keywords} if with_terms else out

    ids = sorted(docs)  # an article's row: its place in id order, so rows sort as ids do
    overlaps = _Overlaps([docs[a] for a in ids], top)
    new = sorted((docs[a] for a in place if a in docs and docs[a].duplicate_of is None), key=Doc.order)
    wanted = set().union(*(keys(d) for d in new))  # the keys placement looks up: only those are indexed

    def add(d: Doc, row: int, key_set: set[str], count: bool = True) -> None:
        at, day = d.at, d.at.toordinal()
        for key in key_set:
            by_day = index.get(key)
            if by_day is None:
                by_day = index[key] = {}
            on_day = by_day.get(day)
            if on_day is None:
                by_day[day] = ([at], [row])
            else:
                on_day[0].append(at)
                on_day[1].append(row)
        if count:
            carrying.update(key_set)

    def candidates(d: Doc, key_set: set[str]) -> set[int]:
        found: set[int] = set()
        day, at = d.at.toordinal(), d.at
        for key in sorted(key_set, key=lambda k: (carrying[k], k)):  # rarest first
            by_day = index.get(key)
            if not by_day:
                continue
            taken = 0
            for delta in days_around:  # the nearest days first, the latest added first within a day
                on_day = by_day.get(day + delta)
                if not on_day:
                    continue
                ats, rows = on_day
                if abs(delta) + 1 <= window_days:  # the whole day is within the window of any time of d's day
                    need = MAX_PER_KEY - taken
                    found.update(rows[-need:])
                    taken += min(need, len(rows))
                else:
                    for other_at, row in zip(reversed(ats), reversed(rows), strict=True):
                        if abs(other_at - at) <= window:
                            found.add(row)
                            taken += 1
                            if taken >= MAX_PER_KEY:
                                break
                if taken >= MAX_PER_KEY:
                    break
            if len(found) >= MAX_CANDIDATES:
                break
        return found

    for d in sorted((d for d in docs.values() if d.story_id and d.article_id not in place and d.duplicate_of is None),
                    key=Doc.order):  # given counts already include the stored articles
        add(d, overlaps.row[d.article_id], keys(d) & wanted, count=key_counts is None)
    out: dict[str, str] = {}
    for d in new:
        key_set, row = keys(d), overlaps.row[d.article_id]
        found = np.array(sorted(candidates(d, key_set)), dtype=np.int64)
        d.story_id = d.article_id
        if len(found):
            sims = overlaps.similarities(row, found)
            at = int(sims.argmax())  # the first best, in id order: as a loop keeping the first strictly greater
            best = docs[ids[found[at]]]
            if sims[at] > 0.0 and sims[at] >= threshold and best.story_id:
                d.story_id = best.story_id
        out[d.article_id] = d.story_id
        add(d, row, key_set)
    for d in docs.values():  # copies follow their representative
        if d.duplicate_of and (d.article_id in place or d.duplicate_of in out):
            rep = docs.get(d.duplicate_of)
            story = out.get(d.duplicate_of) or (rep.story_id if rep else None) or d.article_id
            d.story_id = out[d.article_id] = story
    return out


class _Overlaps:
    """similarity() of one article with many at once: each article's top entities and keywords as rows of
    two 0/1 matrices in compressed sparse rows (feature ids of each row, one after the other), so the
    overlaps with a new article's candidates are a few array operations (numpy). Placing a batch compares
    each new article with up to MAX_CANDIDATES others, a million pairs for 5,000 articles. The arithmetic is
    similarity()'s, operation for operation, in float64, so the scores are the same numbers, and placement
    the same (assign_stories of 5,000 new articles against 65,000 stored ones, the density of ten million
    articles a year: 14.4 s one pair at a time, 6.5 s with this and rows for ids; the same stories)."""

    def __init__(self, docs: Iterable[Doc], top: Callable[[Doc], frozenset[str]]):
        docs = list(docs)
        self.row: dict[str, int] = {d.article_id: row for row, d in enumerate(docs)}
        self.entities = _Rows.of([top(d) for d in docs])
        self.terms = _Rows.of([d.keywords for d in docs])

    def similarities(self, mine: int, rows: np.ndarray) -> np.ndarray:
        """similarity() of the article of row `mine` with those of `rows`, as an array in their order."""
        entity = self.entities.overlaps(mine, rows)
        term = self.terms.overlaps(mine, rows)
        return ENTITY_WEIGHT * entity + TERM_WEIGHT * term


class _Rows:
    """Sets as rows of feature ids (compressed sparse rows: row r is cols[ptr[r]:ptr[r + 1]])."""

    def __init__(self, cols: np.ndarray, ptr: np.ndarray, width: int):
        self.cols = cols
        self.ptr = ptr
        self.size = np.diff(self.ptr)
        self.marked = np.zeros(width + 1, dtype=np.int64)  # the features of the set being compared, as 1s

    @classmethod
    def of(cls, sets: list[frozenset[str]]) -> _Rows:
        """One row per set, its features numbered in one pass (Arrow's dictionary encoding: at ten million
        articles a year a pool holds 64,000 articles, 2.4 million features)."""
        sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
        encoded = pa.array([f for s in sets for f in s], pa.string()).dictionary_encode()
        cols = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        return cls(cols, np.concatenate(([0], np.cumsum(sizes))), len(encoded.dictionary))

    def overlaps(self, mine: int, rows: np.ndarray) -> np.ndarray:
        """_overlap(A, B) of set A = row `mine` with each row of `rows`: |A & B| / min(|A|, |B|), 0 where
        either set is empty."""
        own = self.cols[self.ptr[mine]:self.ptr[mine + 1]]
        sizes = self.size[rows]
        if not len(own) or not len(rows):
            return np.zeros(len(rows))
        starts = self.ptr[rows]
        ends = np.cumsum(sizes)
        begins = ends - sizes
        at = np.arange(int(ends[-1]), dtype=np.int64) + np.repeat(starts - begins, sizes)
        self.marked[own] = 1
        hits = np.concatenate(([0], np.cumsum(self.marked[self.cols[at]])))
        self.marked[own] = 0
        shared = (hits[ends] - hits[begins]).astype(np.float64)
        smaller = np.minimum(sizes, len(own)).astype(np.float64)
        return np.divide(shared, smaller, out=np.zeros(len(rows)), where=smaller > 0)
