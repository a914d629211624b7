"""Entity recognition with the real spaCy model from PyPI."""

from transform.entities import KEEP_LABELS, analyse, entity_id, find_entities

TEXT = ("Chinese leader Xi Jinping told Vladimir Putin on Wednesday that China would keep backing Russia. "
        "Mr Xi said 25 million people were watching. President Xi's office and the Kremlin confirmed the call, "
        "Xinhua reported. The UK defence secretary Ben Wallace warned that Mr Wallace's critics were wrong.")


def test_entities_are_canonical_with_offsets_into_text():
    (mentions,) = list(find_entities([TEXT]))
    assert mentions, "the model found no entities"
    for m in mentions:
        assert TEXT[m.start:m.end] == m.text
        assert m.label in KEEP_LABELS
    by_surface = {m.text: m.entity for m in mentions}
    assert by_surface["Xi Jinping"] == "Xi Jinping"
    xi_mentions = [m for m in mentions if m.entity == "Xi Jinping"]
    assert len(xi_mentions) >= 3  # full name, "Mr Xi", "President Xi's"
    assert all(not m.text.endswith("'s") for m in mentions)
    assert any(m.entity == "Ben Wallace" and m.text != "Ben Wallace" for m in mentions)
    assert {"Vladimir Putin", "China", "Russia"} <= {m.entity for m in mentions}
    assert not any(m.label in ("DATE", "CARDINAL", "TIME") for m in mentions)


def test_batching_keeps_order_and_empty_texts():
    texts = ["Beijing ordered mass testing.", "", "Ben Wallace spoke in Singapore."]
    results = list(find_entities(texts, batch_size=2))
    assert len(results) == 3
    assert {m.entity for m in results[0]} == {"Beijing"}
    assert results[1] == []
    assert "Singapore" in {m.entity for m in results[2]}


def test_entity_id_is_stable_and_case_insensitive():
    assert entity_id("Xi Jinping", "PERSON") == entity_id("xi jinping", "PERSON")
    assert entity_id("Xi Jinping", "PERSON") != entity_id("Xi Jinping", "ORG")


def test_headline_in_sentence_case_and_surnames_from_the_body():
    (result,) = analyse([("Xi tells Putin China will keep backing Russia",
                          "Chinese leader Xi Jinping told Vladimir Putin that Beijing would keep backing Moscow.")])
    assert {"Xi Jinping", "Vladimir Putin", "China", "Russia"} <= result.in_headline
    assert "Putin China" not in result.in_headline
    top = max(result.salience, key=result.salience.get)
    assert top in {("Xi Jinping", "PERSON"), ("Vladimir Putin", "PERSON")}
    assert all(0.0 <= s <= 1.0 for s in result.salience.values())


def test_all_caps_headline_and_lines():
    (result,) = analyse([("CHINA IS WATCHING, WALLACE WARNS",
                          "The defence secretary Ben Wallace said China was watching.\nBRITAIN AND JAPAN SIGN PACT\n"
                          "Mr Wallace spoke in Singapore.")])
    assert {"China", "Ben Wallace"} <= result.in_headline
    found = {(m.entity, m.label) for m in result.mentions}
    assert {("United Kingdom", "GPE"), ("Japan", "GPE"), ("Ben Wallace", "PERSON")} <= found


def test_variant_names_are_not_organisations():
    (mentions,) = list(find_entities(["The Omicron variant spread quickly, and Omicron cases rose in Beijing."]))
    assert {m.entity for m in mentions} == {"Beijing"}


def test_place_codes_on_mentions():
    (mentions,) = list(find_entities(["Britain and the US backed Ukraine; Chinese officials in Beijing objected."]))
    codes = {m.entity: (m.label, m.country_code, m.geonames_id) for m in mentions}
    assert codes["United Kingdom"] == ("GPE", "GB", 2635167)
    assert codes["United States"][:2] == ("GPE", "US")
    assert codes["Chinese"] == ("NORP", "CN", None)
    assert codes["Beijing"] == ("GPE", "CN", 1816670)
    assert all(set(m.as_dict()) == {"start", "end", "text", "label", "entity"} for m in mentions)


def test_two_processes_give_the_same_result():
    texts = [f"Mr Xi met Xi Jinping's ally Vladimir Putin in Moscow, day {i}." for i in range(40)]
    one = analyse([("", t) for t in texts], n_process=1)
    two = analyse([("", t) for t in texts], n_process=2)
    assert [r.mentions for r in one] == [r.mentions for r in two]
