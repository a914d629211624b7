from transform.aliases import (
    fold_article,
    normalise,
    person_canon,
    resolve_places,
    strip_possessive,
    strip_titles,
    titled_form,
)


def test_titles_and_possessives():
    assert strip_possessive("Xi Jinping's") == "Xi Jinping"
    assert strip_possessive("Wallace\u2019s") == "Wallace"
    assert strip_titles("President Xi") == "Xi"
    assert strip_titles("Prime Minister Boris Johnson") == "Boris Johnson"
    assert strip_titles("Mr. Wallace") == "Wallace"
    assert strip_titles("President") == "President"  # a bare title stays
    assert normalise("the Kremlin", "ORG") == "Kremlin"
    assert normalise("Mr Xi's", "PERSON") == "Xi"


def test_family_name_first_and_surname_last():
    canon = person_canon(["Xi Jinping", "Xi", "Ben Wallace", "Wallace", "Vladimir Putin", "Putin"])
    assert canon["Xi"] == "Xi Jinping"
    assert canon["Wallace"] == "Ben Wallace"
    assert canon["Putin"] == "Vladimir Putin"


def test_short_form_with_two_candidates_stays_ambiguous():
    canon = person_canon(["Ben Wallace", "Gregg Wallace", "Wallace"])
    assert canon["Wallace"] == "Wallace"


def test_fold_article_mentions():
    mentions = [("Xi Jinping", "PERSON"), ("Mr Xi", "PERSON"), ("President Xi", "PERSON"), ("Xi", "PERSON"),
                ("Xi Jinping's", "PERSON"), ("Mr Wallace", "PERSON"), ("Ben Wallace", "PERSON"),
                ("the Kremlin", "ORG"), ("Xi", "ORG")]
    folded = fold_article(mentions)
    assert [c for c, _ in folded[:5]] == ["Xi Jinping"] * 5
    assert folded[5] == ("Ben Wallace", "PERSON")
    assert folded[7] == ("Kremlin", "ORG")
    assert folded[8] == ("Xi Jinping", "PERSON")  # a stray ORG tag folds into the person


def test_short_form_alone_is_left_as_is():
    assert fold_article([("Mr Xi", "PERSON")]) == [("Xi", "PERSON")]


def test_more_titles():
    for titled in ("Mrs May", "Ms Truss", "Dr Fauci", "Chancellor Scholz", "Secretary Blinken",
                   "Foreign Secretary Truss", "Defence Secretary Wallace", "Prime Minister Kishida"):
        assert len(strip_titles(titled).split()) == 1, titled


def test_countries_fold_to_one_entity_with_their_label():
    folded = fold_article([("UK", "GPE"), ("Britain", "GPE"), ("United Kingdom", "GPE"), ("the UK", "ORG"),
                           ("US", "GPE"), ("America", "GPE"), ("the United States", "GPE")])
    assert folded[:4] == [("United Kingdom", "GPE")] * 4
    assert folded[4:] == [("United States", "GPE")] * 3


def test_organisations_and_demonyms_fold():
    folded = fold_article([("Nato", "ORG"), ("NATO", "ORG"), ("UN", "ORG"), ("the United Nations", "ORG"),
                           ("Russians", "NORP"), ("Russian", "NORP")])
    assert [c for c, _ in folded] == ["NATO", "NATO", "United Nations", "United Nations", "Russian", "Russian"]


def test_resolve_places_codes():
    places = resolve_places([("China", "GPE"), ("Beijing", "GPE"), ("Chinese", "NORP"), ("Cambridge", "GPE"),
                             ("Xinhua", "ORG")])
    assert places[("China", "GPE")] == ("CN", 1814991)
    assert places[("Beijing", "GPE")] == ("CN", 1816670)
    assert places[("Chinese", "NORP")] == ("CN", None)
    assert places[("Cambridge", "GPE")] == (None, None)  # two Cambridges of similar size: not guessed
    assert places[("Xinhua", "ORG")] == (None, None)


def test_titled_form_keeps_the_title_as_written():
    text = "On Monday President Xi met Mr. Wallace and Xi Jinping."
    assert titled_form(text, text.index("Xi"), text.index("Xi") + 2) == "President Xi"
    described = "the Chinese leader Xi Jinping"
    assert titled_form(described, described.index("Xi"), len(described)) == "Xi Jinping"
    assert titled_form(text, text.index("Wallace"), text.index("Wallace") + 7) == "Mr. Wallace"
    start = text.index("Xi Jinping")
    assert titled_form(text, start, start + 10) == "Xi Jinping"


def test_one_word_name_tagged_org_folds_into_the_person():
    folded = fold_article([("Wang Yi", "PERSON"), ("Wang", "ORG"), ("China", "GPE"), ("NATO", "ORG")])
    assert folded == [("Wang Yi", "PERSON"), ("Wang Yi", "PERSON"), ("China", "GPE"), ("NATO", "ORG")]
