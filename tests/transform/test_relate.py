"""relate: redirects and one record per canonical URL (its memory is measured in bench/relate_memory.py)."""

from transform.relate import RunIndex

T = "2026-03-01T12:00:00+00:00"


def record(url, relation="linked", hops=1, article=True, final=None, state="ok", text="Xi Jinping spoke."):
    rec = {"url": url, "relation": relation, "hops": hops, "via": "http://n.example/seed", "is_feed": False,
           "known": {}, "fetch": {"state": state, "status": 200 if state == "ok" else 304, "detail": "",
                                  "final_url": final or url, "fetched_at": T, "raw_sha256": "f" * 64}}
    if article:
        canon = final or url
        rec["article"] = {"url": url, "canonical_url": canon, "title": "T", "text": text, "authors": [],
                          "published_at": T, "published_source": "meta", "modified_at": None,
                          "modified_source": None, "language": "en", "site_name": None, "description": None,
                          "article_id": "id-" + canon.rsplit("/", 1)[-1], "word_count": 3, "fetched_at": T,
                          "raw_sha256": "f" * 64}
        rec["mentions"] = [{"start": 0, "end": 10, "text": "Xi Jinping", "label": "PERSON", "entity": "Xi Jinping"}]
        rec["salience"] = [{"entity": "Xi Jinping", "label": "PERSON", "salience": 0.9, "in_headline": False}]
    else:
        rec["outcome"] = ["failed", "HTTP 500"]
    return rec


def test_a_redirects_article_moves_to_a_target_that_gave_none():
    index = RunIndex.build([record("http://n.example/story/1", final="http://n.example/a"),
                            record("http://n.example/a", article=False)])
    assert index.moved == {"http://n.example/story/1": "http://n.example/a"}
    assert index.winners == {"http://n.example/a": "http://n.example/a"}
    assert index.records["http://n.example/story/1"]["outcome"][0] == "duplicate"


def test_a_revalidated_target_keeps_its_stored_article():
    index = RunIndex.build([record("http://n.example/story/1", final="http://n.example/a"),
                            record("http://n.example/a", article=False, state="not_modified")])
    assert index.moved == {} and index.winners == {}


def test_seed_wins_over_a_linked_copy_of_the_same_story():
    index = RunIndex.build([record("http://n.example/amp/a", final=None, hops=1),
                            record("http://n.example/a", relation="seed", hops=0)])
    index.canonical["http://n.example/amp/a"] = "http://n.example/a"
    index.winners.clear()
    index._pick_winners()
    assert index.winners == {"http://n.example/a": "http://n.example/a"}
