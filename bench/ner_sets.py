"""Generated annotated lines for the entity benchmark: the kinds of text news pages carry besides prose
(lists of names, results tables, scores, captions, bylines, Title Case and all-caps headlines) and plain
sentences, with gold spans known by construction.

Two halves with nothing in common: the dev half and the test half use different templates and different
name pools (people, places, organisations), so a rule tuned on dev lines meets new shapes and new names
on test lines. Names are invented (people, clubs, firms) or public place and country names; no text is
taken from any publication."""

from __future__ import annotations

import random
from dataclasses import dataclass

Span = tuple[int, int, str]

FIRST = {"dev": ["Tomas", "Greta", "Oskar", "Maria", "Jonas", "Kofi", "Ingrid", "Pavel", "Sian", "Rhys",
                 "Lucia", "Arturo", "Henrik", "Amara", "Dmitri", "Chiara", "Owen", "Nadia", "Felix", "Yuki"],
         "test": ["Anneli", "Bruno", "Carmen", "Dario", "Elif", "Fintan", "Gwen", "Hamza", "Isla", "Joaquin",
                  "Katya", "Lorenzo", "Maeve", "Nikolai", "Oona", "Pietro", "Rosa", "Sander", "Tariq", "Vera"]}
LAST = {"dev": ["Brenner", "Lindqvist", "Havel", "Ortega", "Whitfield", "Mensah", "Solberg", "Sousa", "Morgan",
                "Evans", "Bassi", "Belmonte", "Dahl", "Okafor", "Volkov", "Ferri", "Pritchard", "Karimi",
                "Hollis", "Tanaka"],
        "test": ["Aaltonen", "Barros", "Castell", "Dunmore", "Eriksen", "Fagan", "Gallo", "Haddad", "Iversen",
                 "Jovanovic", "Kowalczyk", "Laine", "Moretti", "Nyberg", "Oduya", "Petrov", "Quinlan", "Rinaldi",
                 "Strand", "Varga"]}
PLACES = {"dev": ["Sweden", "Spain", "Norway", "Italy", "Portugal", "Japan", "Kenya", "Chile", "Cardiff",
                  "Madrid", "Oslo", "Lisbon", "Nairobi", "Santiago", "Osaka", "Brussels"],
          "test": ["Finland", "Greece", "Austria", "Poland", "Canada", "Brazil", "Egypt", "Vietnam", "Helsinki",
                   "Athens", "Vienna", "Krakow", "Toronto", "Cairo", "Hanoi", "Edinburgh"]}
ORGS = {"dev": ["Harbour Rowing Club", "Kingsbridge Rovers", "Northgate Athletic", "Valemont Steel",
                "Redfern Holdings", "the Coastal Ferry Company", "Lakeside Chess Club", "Orwell Bank"],
        "test": ["Eastmoor United", "Bramley Town", "Corvale Mining", "Seabright Insurance",
                 "the Highland Rail Authority", "Pinecrest Academy", "Dunmore Rangers", "Westfield Motors"]}
NORP = {"dev": ["Swedish", "Spanish", "Norwegian", "Japanese"], "test": ["Finnish", "Greek", "Austrian", "Polish"]}

# Templates: {P} a person, {G} a place (GPE), {O} an organisation, {N} a nationality (NORP), {T} a time.
TEMPLATES = {
    "dev": {
        "list": ["Defenders - {P} , {P} , {P} , {P}", "Squad: {P}, {P}, {P}, {P}, {P}"],
        "results": ["{n}. {P} ( {G} ) {T}", "{n} {P} ({G}) {T}"],
        "scores": ["{O} 2 {O} 1", "{O} 0 {O} 3"],
        "caption": ["Pictured: {P} and {P} at {O} in {G}", "Photo: {P} arrives in {G} on Sunday"],
        "byline": ["By {P} and {P} in {G}", "Reporting by {P}; editing by {P}"],
        "headline": ["{P} Joins {O} After Leaving {G}", "{G} Names {P} As New Coach"],
        "caps": ["{P} LEADS {N} TEAM INTO FINAL", "RESULTS FROM {G} - {O} WIN AGAIN"],
        "prose": ["{P} told reporters in {G} that {O} would appeal the decision.",
                  "The {N} minister, {P}, met {P} in {G} on Tuesday."],
    },
    "test": {
        "list": ["Forwards: {P}; {P}; {P}", "Starting line-up - {P} , {P} , {P} , {P} , {P}"],
        "results": ["{n}) {P} [{G}] {T}", "Place {n}: {P} - {G} - {T}"],
        "scores": ["{O} 1-1 {O}", "Final score: {O} 4, {O} 2"],
        "caption": ["{P} ( right ) with {P} outside {O}", "Image: crowds in {G} greet {P}"],
        "byline": ["Words by {P}, photographs by {P}", "From {P} in {G}"],
        "headline": ["{O} Hires {P} To Lead {G} Office", "{P} Wins Gold For {G}"],
        "caps": ["{O} TO CLOSE {G} PLANT", "{N} STAR {P} RETIRES"],
        "prose": ["{O} said {P} would start work in {G} next month.",
                  "Speaking in {G}, {P} praised the {N} delegation and {O}."],
    },
}


@dataclass(frozen=True)
class Line:
    kind: str
    text: str
    spans: frozenset[Span]


def _fill(template: str, rng: random.Random, half: str) -> tuple[str, set[Span]]:
    out, spans, pos = [], set(), 0
    i = 0
    while i < len(template):
        if template[i] == "{":
            slot = template[i + 1:template.index("}", i)]
            i = template.index("}", i) + 1
            label = {"P": "PERSON", "G": "GPE", "O": "ORG", "N": "NORP"}.get(slot)
            if slot == "P":
                value = f"{rng.choice(FIRST[half])} {rng.choice(LAST[half])}"
            elif slot == "G":
                value = rng.choice(PLACES[half])
            elif slot == "O":
                value = rng.choice(ORGS[half])
            elif slot == "N":
                value = rng.choice(NORP[half])
            elif slot == "T":
                value = f"{rng.randint(1, 2)}:{rng.randint(0, 59):02d}.{rng.randint(0, 99):02d}"
            else:  # n: a rank
                value = str(rng.randint(1, 20))
            if label:
                start = pos + (4 if value.startswith("the ") else 0)  # "the" stays outside the span
                spans.add((start, pos + len(value), label))
            out.append(value)
            pos += len(value)
        else:
            out.append(template[i])
            pos += 1
            i += 1
    return "".join(out), spans


def generate(half: str, per_template: int = 20, seed: int = 11) -> list[Line]:
    """Lines of one half ("dev" or "test"): every template filled `per_template` times."""
    rng = random.Random(f"{seed}-{half}")
    lines = []
    for kind, templates in TEMPLATES[half].items():
        for template in templates:
            for _ in range(per_template):
                text, spans = _fill(template, rng, half)
                if kind == "caps":
                    text = text.upper()
                elif kind == "headline":
                    text = " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
                lines.append(Line(kind, text, frozenset(spans)))
    return lines
