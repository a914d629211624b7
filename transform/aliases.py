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


def fold_article(mentions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """For one article's (surface, label) mentions, return (canonical name, label) for each one.

    The label of a canonical entity is the one most of its mentions carry, so a stray ORG tag on
    "Xi" folds into the PERSON Xi Jinping when the article names him in full."""
    normal = [(normalise(s, lab), lab) for s, lab in mentions]
    persons = person_canon(n for n, lab in normal if lab == "PERSON")
    person_words = {n.lower(): c for n, c in persons.items() if len(n.split()) == 1 and c != n}
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
