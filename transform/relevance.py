"""Relevance of an article to the seed articles: overlap of canonical entities and salient terms.

score = 0.6 * overlap(entities) + 0.4 * overlap(terms), where overlap(A, B) = |A ∩ B| / min(|A|, |B|)
(the overlap coefficient, 0 when either side is empty). Entities are the canonical names an article
mentions (PERSON, ORG, GPE, ...); terms are its 30 most frequent non-stop words of 4+ letters."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

ENTITY_WEIGHT = 0.6
TERM_WEIGHT = 0.4
TOP_TERMS = 30
_WORD = re.compile(r"[a-z][a-z'-]{3,}")


def ranked_terms(text: str, k: int = TOP_TERMS) -> list[str]:
    """The k most frequent non-stop words of four or more letters, lower-cased, most frequent first
    (ties in order of first use)."""
    words = [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]
    return [w for w, _ in Counter(words).most_common(k)]


def salient_terms(text: str, k: int = TOP_TERMS) -> set[str]:
    """The k most frequent non-stop words of four or more letters, lower-cased."""
    return set(ranked_terms(text, k))


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


@dataclass(frozen=True)
class Profile:
    """What the seed articles are about: their canonical entities and salient terms."""

    entities: frozenset[str]
    terms: frozenset[str]


def seed_profile(seeds: Iterable[tuple[Iterable[str], str]]) -> Profile:
    """Build the profile from (entity names, text) of each seed article."""
    ents: set[str] = set()
    terms: set[str] = set()
    for names, text in seeds:
        ents |= {n.casefold() for n in names}
        terms |= salient_terms(text)
    return Profile(frozenset(ents), frozenset(terms))


def relevance(entity_names: Iterable[str], text: str, profile: Profile) -> float:
    """Score in [0, 1] of one article against the seed profile (see module docstring)."""
    ents = {n.casefold() for n in entity_names}
    score = ENTITY_WEIGHT * _overlap(ents, set(profile.entities)) + \
        TERM_WEIGHT * _overlap(salient_terms(text), set(profile.terms))
    return round(score, 4)
