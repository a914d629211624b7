"""Alias folding within an article: titles and possessives stripped, short names attached to full names."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

TITLES = (
    "prime minister", "foreign minister", "defence minister", "defense minister", "foreign secretary",
    "defence secretary", "defense secretary", "home secretary", "health secretary", "secretary of state",
    "secretary-general", "secretary general", "vice president", "vice-president", "general secretary",
    "president", "premier", "chancellor", "secretary", "minister", "senator", "governor", "mayor",
    "ambassador", "spokesman", "spokeswoman", "spokesperson", "general", "admiral", "colonel", "captain",
    "professor", "prof", "king", "queen", "prince", "princess", "sir", "dame", "lord", "lady", "rev",
    "mr", "mrs", "ms", "miss", "mx", "dr", "chairman", "chairwoman", "chair", "leader", "director",
)
_TITLE_RE = re.compile(r"^(?:(?:" + "|".join(re.escape(t) for t in TITLES) + r")\.?\s+)+", re.I)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


_TITLE_BEFORE = re.compile(r"(?:\b(?:" + "|".join(re.escape(t) for t in TITLES) + r")\.?\s+)+$", re.I)


def titled_form(text: str, start: int, end: int) -> str:
    """The mention as written with the capitalised title in front of it, if any: "Mr Xi", "President Xi"
    (not "leader Xi", where the word describes rather than addresses)."""
    before = _TITLE_BEFORE.search(text[max(0, start - 40):start])
    if before is None or not before.group()[0].isupper():
        return text[start:end]
    return text[start - len(before.group()):end]


def strip_possessive(surface: str) -> str:
    """'Xi Jinping's' -> 'Xi Jinping'."""
    return _POSSESSIVE.sub("", surface.strip()).strip()


def strip_titles(name: str) -> str:
    """'President Xi' -> 'Xi', 'Prime Minister Boris Johnson' -> 'Boris Johnson'; a bare title stays."""
    stripped = _TITLE_RE.sub("", name).strip()
    return stripped or name


def normalise(surface: str, label: str) -> str:
    """The surface form with possessive, leading article and (for people) titles removed."""
    name = " ".join(strip_possessive(surface).split())
    if label != "PERSON" and name.lower().startswith("the "):
        name = name[4:]
    if label == "PERSON":
        name = strip_titles(name)
    return name


def person_canon(names: Iterable[str]) -> dict[str, str]:
    """Map each person name to its full form: a one-word name attaches to the single full name
    whose first (family-name-first, "Xi" -> "Xi Jinping") or last ("Wallace" -> "Ben Wallace")
    word it is; with two candidates it stays as it is, ambiguous rather than guessed."""
    names = set(names)
    full = [n for n in names if len(n.split()) >= 2]
    out = {}
    for name in names:
        if len(name.split()) != 1:
            out[name] = name
            continue
        key = name.lower()
        candidates = {f for f in full if f.split()[-1].lower() == key or f.split()[0].lower() == key}
        out[name] = candidates.pop() if len(candidates) == 1 else name
    return out


def canonical_place_or_org(name: str, label: str) -> tuple[str, str]:
    """Countries to one name (label GPE), listed organisations to one spelling, demonyms to the singular."""
    from transform.places import gazetteer

    g = gazetteer()
    if label in ("GPE", "LOC", "ORG") and (country := g.country(name)):
        return country.name, "GPE"
    if org := g.organisation(name):
        return org, "ORG"
    if label == "NORP" and (people := g.demonym(name)):
        return people.name, "NORP"
    return name, label


def fold_article(mentions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """For one article's (surface, label) mentions, return (canonical name, label) for each one.

    People: titles and possessives stripped, short forms attached to the one full name they match.
    Places and organisations: countries, listed organisations and demonyms folded to one spelling.
    The label of a canonical entity is the one most of its mentions carry, so a stray ORG tag on
    "Xi" folds into the PERSON Xi Jinping when the article names him in full."""
    normal = [(normalise(s, lab), lab) for s, lab in mentions]
    normal = [(n, lab) if lab == "PERSON" else canonical_place_or_org(n, lab) for n, lab in normal]
    persons = person_canon(n for n, lab in normal if lab == "PERSON")
    # one-word names the model tagged ORG/NORP/GPE ("Wang signed ...") that are the first or last word
    # of exactly one person the article names in full
    full = [n for n in persons if len(n.split()) >= 2]
    person_words = {}
    for name, label in normal:
        if label in ("ORG", "NORP", "GPE") and len(name.split()) == 1 and not _is_known_place_or_org(name):
            hits = {f for f in full if name.lower() in (f.split()[0].lower(), f.split()[-1].lower())}
            if len(hits) == 1:
                person_words[name.lower()] = hits.pop()
    canon = []
    for name, label in normal:
        if label == "PERSON":
            canon.append(persons[name])
        elif name.lower() in person_words and label in ("ORG", "GPE", "NORP"):
            canon.append(person_words[name.lower()])
        else:
            canon.append(name)
    votes: dict[str, Counter] = {}
    for c, (_, label) in zip(canon, normal, strict=True):
        votes.setdefault(c, Counter())[label] += 1
    best = {c: v.most_common(1)[0][0] for c, v in votes.items()}
    return [(c, best[c]) for c in canon]


def _is_known_place_or_org(name: str) -> bool:
    from transform.places import gazetteer

    g = gazetteer()
    return bool(g.country(name) or g.organisation(name) or g.demonym(name))


def resolve_places(folded: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str | None, int | None]]:
    """(country_code, geonames_id) for each canonical (name, label): countries and unambiguous cities
    for GPE, the country of a demonym for NORP, nothing for the rest."""
    from transform.places import gazetteer

    g = gazetteer()
    out: dict[tuple[str, str], tuple[str | None, int | None]] = {}
    for name, label in set(folded):
        place = None
        if label == "GPE":
            place = g.country(name) or g.city(name)
        elif label == "NORP":
            place = g.demonym(name)
        out[(name, label)] = (place.country_code, place.geonames_id) if place else (None, None)
    return out
