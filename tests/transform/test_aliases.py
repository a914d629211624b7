from transform.aliases import fold_article, normalise, person_canon, strip_possessive, strip_titles


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
