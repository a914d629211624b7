"""Stories: related articles grouped into events, incrementally, as they are loaded.

An article (a representative; a near-duplicate takes its representative's story) joins the story of the
stored article it is most similar to, among those at most `story_window_days` apart, when that similarity
reaches `story_threshold`; otherwise it starts a story of its own (story_id = its article_id). New
articles are placed oldest first, so a batch holding a whole event clusters as if it came one by one.

similarity = 0.6 * overlap(top entities) + 0.4 * overlap(keywords), overlap(A, B) = |A ∩ B| / min(|A|, |B|),
over each article's STORY_ENTITIES most salient canonical entities and its 30 salient terms: the same
measure the relevance score uses against the seeds. Placement is single-link and decided once, when
an article is first loaded (a near-duplicate follows its representative's story if that changes)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from core.config import Grouping
from transform.records import Doc

STORY_ENTITIES = 8
DEFAULT_THRESHOLD = Grouping.story_threshold
ENTITY_WEIGHT, TERM_WEIGHT = 0.6, 0.4


def _overlap(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def similarity(a: Doc, b: Doc) -> float:
    """How much two articles are about the same event (see module docstring), in [0, 1]."""
    ea = {e.casefold() for e in a.entities[:STORY_ENTITIES]}
    eb = {e.casefold() for e in b.entities[:STORY_ENTITIES]}
    return ENTITY_WEIGHT * _overlap(ea, eb) + TERM_WEIGHT * _overlap(a.keywords, b.keywords)


def assign_stories(pool: Iterable[Doc], place: set[str], threshold: float = DEFAULT_THRESHOLD,
                   window_days: float = 3.0) -> dict[str, str]:
    """story_id for each article in `place` (new or changed representatives; duplicates follow their
    representative), given the stored articles of `pool` around them with their stories."""
    docs = {d.article_id: d for d in pool}
    window = timedelta(days=window_days)
    index: dict[str, set[str]] = {}  # entity or keyword -> placed articles carrying it

    # an article sharing no entity scores at most TERM_WEIGHT: below that threshold keywords must be looked up too
    with_terms = threshold <= TERM_WEIGHT

    def keys(d: Doc) -> set[str]:
        out = {"e:" + e.casefold() for e in d.entities[:STORY_ENTITIES]}
        return out | {"t:" + t for t in d.keywords} if with_terms else out

    def add(d: Doc) -> None:
        for key in keys(d):
            index.setdefault(key, set()).add(d.article_id)

    for d in docs.values():
        if d.story_id and d.article_id not in place and d.duplicate_of is None:
            add(d)
    out: dict[str, str] = {}
    for d in sorted((docs[a] for a in place if a in docs and docs[a].duplicate_of is None), key=Doc.order):
        candidates = set().union(set(), *(index.get(k, set()) for k in keys(d)))
        best, best_score = None, 0.0
        for other in sorted(candidates):
            o = docs[other]
            if abs(o.at - d.at) > window:
                continue
            score = similarity(d, o)
            if score > best_score:
                best, best_score = o, score
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

