"""Entity recognition with the real spaCy model from PyPI."""

from transform.entities import KEEP_LABELS, entity_id, find_entities

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
