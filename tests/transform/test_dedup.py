"""Near-duplicate detection (MinHash LSH) and story grouping, on texts written for these tests."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import numpy as np

from transform.dedup import (
    DEFAULT_THRESHOLD,
    NUM_PERM,
    Doc,
    band_keys,
    bands,
    near_duplicates,
    shingles,
    signature,
    similarity,
)
from transform.stories import assign_stories

T0 = datetime(2022, 6, 15, 9, 0)
WIRE = ("Harbour authorities said on Tuesday that the new ferry terminal would open in March after two years "
        "of building work, with four berths, a covered waiting hall and space for three hundred cars. The "
        "project ran over budget after the contractor found old timber piles under the quay, officials said, "
        "and the final bill is expected to be about a fifth higher than planned. Local councillors welcomed "
        "the date but asked for cheaper fares for island residents who depend on the crossing every day. ")


def doc(aid: str, text: str, hours: float = 0, **kw: object) -> Doc:
    return Doc(aid, T0 + timedelta(hours=hours), signature(text), **kw)


def test_shingles_are_word_five_grams_ignoring_case_and_punctuation():
    assert shingles("One, two THREE four five six") == {b"one two three four five", b"two three four five six"}
    assert shingles("too short") == {b"too short"} and shingles("  ") == set()


def test_a_stored_signature_round_trips_and_estimates_jaccard():
    sig = signature(WIRE)
    assert len(sig) == 128 * 4 and similarity(sig, sig) == 1.0
    assert similarity(sig, signature(WIRE + "An extra closing sentence from the local desk.")) > 0.8
    assert similarity(sig, signature("Completely different words about a village fete and its cakes.")) < 0.1
    assert signature("") is None


def random_texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words = WIRE.lower().replace(",", "").replace(".", "").split()
    return [" ".join(rng.choice(words) for _ in range(rng.choice([1, 2, 4, 5, 6, 30, 400]))) for _ in range(n)]


def test_signatures_are_datasketchs_affine32_minhash_bit_for_bit():
    """Signatures are stored, so the MinHash written out in transform/dedup.py must stay datasketch 2's (scheme
    affine32, seed 1), the one the warehouse's signatures were made with."""
    from datasketch import MinHash

    for text in [WIRE, "one", "too short", *random_texts(60)]:
        m = MinHash(num_perm=NUM_PERM, scheme="affine32", seed=1)
        m.update_batch(list(shingles(text)))
        assert signature(text) == m.hashvalues.astype("<u4").tobytes(), text


def test_lsh_bands_and_candidates_are_datasketchs():
    from datasketch import MinHash, MinHashLSH

    for t in (0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.95):
        lsh = MinHashLSH(threshold=t, num_perm=NUM_PERM)
        assert bands(t) == (lsh.b, lsh.r), t
    rng = random.Random(11)
    words = WIRE.lower().replace(",", "").replace(".", "").split()
    long_texts = [" ".join(rng.choice(words) for _ in range(300)) for _ in range(10)]
    texts = random_texts(30, seed=11) + long_texts + [t + " and one more line of words" for t in long_texts]
    sigs = {str(i): signature(t) for i, t in enumerate(texts)}
    lsh = MinHashLSH(threshold=DEFAULT_THRESHOLD, num_perm=NUM_PERM)
    index: dict[bytes, set[str]] = {}
    for key, sig in sigs.items():
        if sig:
            lsh.insert(key, MinHash(num_perm=NUM_PERM, scheme="affine32", hashvalues=np.frombuffer(sig, "<u4")))
            for band in band_keys(sig):
                index.setdefault(band, set()).add(key)
    pairs = 0
    for key, sig in sigs.items():
        if sig:
            ours = set().union(*(index[band] for band in band_keys(sig)))
            theirs = set(lsh.query(MinHash(num_perm=NUM_PERM, scheme="affine32",
                                           hashvalues=np.frombuffer(sig, "<u4"))))
            assert ours == theirs, key
            pairs += len(ours) - 1
    assert pairs >= 20  # the near copies were found, so the comparison saw candidates


def test_copies_point_at_the_earliest_and_unrelated_texts_stay_apart():
    edited = WIRE.replace("Harbour authorities said on Tuesday", "Port officials announced on Tuesday") + \
        "The terminal will be named after a local lifeboat crew."
    pool = [doc("late", WIRE, hours=5), doc("orig", WIRE, hours=1), doc("edit", edited, hours=3),
            doc("other", "The village allotment show gave its top prize to a marrow weighing forty kilos, "
                         "judges said, beating a pumpkin grown by the vicar for the first time in years.")]
    out = near_duplicates(pool, {"late", "orig", "edit", "other"}, threshold=0.5)
    assert out == {"orig": None, "late": "orig", "edit": "orig", "other": None}


def test_an_earlier_copy_found_later_becomes_the_representative():
    stored = [doc("copy1", WIRE, hours=4, duplicate_of=None), doc("copy2", WIRE, hours=6, duplicate_of="copy1")]
    out = near_duplicates([*stored, doc("original", WIRE, hours=0)], {"original"}, threshold=0.5)
    assert out == {"original": None, "copy1": "original", "copy2": "original"}


def test_copies_further_apart_than_the_window_are_not_duplicates():
    out = near_duplicates([doc("a", WIRE), doc("b", WIRE, hours=24 * 30)], {"b"}, threshold=0.5, window_days=7)
    assert out == {"b": None}


def test_a_copy_whose_text_changed_leaves_its_group():
    stored = [doc("orig", WIRE), doc("copy", "A rewritten story about tides, moorings and a new harbour master "
                                           "who starts in April after thirty years at sea.", hours=2,
                                  duplicate_of="orig")]
    out = near_duplicates(stored, {"copy"}, threshold=0.5)
    assert out["copy"] is None


def story_doc(aid: str, hours: float, entities: tuple[str, ...], keywords: set[str], **kw: object) -> Doc:
    return Doc(aid, T0 + timedelta(hours=hours), None, frozenset(keywords), entities, **kw)


def test_articles_join_the_most_similar_story_in_the_window_or_start_one():
    call = ("Xi Jinping", "Vladimir Putin", "China", "Russia")
    pool = [story_doc("seed", 0, call, {"call", "sovereignty", "security", "phone"}, story_id="seed"),
            story_doc("own", 6, call[:3], {"call", "phone", "trade", "security"}),
            story_doc("late", 24 * 10, call, {"call", "sovereignty", "security", "phone"}),
            story_doc("fete", 2, ("Little Barton",), {"marrow", "prize", "show"}),
            story_doc("copy", 7, (), frozenset(), duplicate_of="own")]
    out = assign_stories(pool, {"own", "late", "fete", "copy"}, threshold=0.45, window_days=3)
    assert out["own"] == "seed" and out["copy"] == "seed"  # a copy follows its representative
    assert out["late"] == "late" and out["fete"] == "fete"  # too late for the window; nothing in common


def test_a_popular_entity_does_not_hide_the_article_that_shares_a_rare_one():
    """Placement reads the rarest shared key first: 500 placed articles that each share one of five popular
    names (more than a key's cap each, and than the candidates' cap together) and one older article that
    also names the same minister; the new article joins that one."""
    from transform.stories import MAX_CANDIDATES, MAX_PER_KEY

    popular = ("China", "Beijing", "Taiwan", "Russia", "United States")
    t0 = datetime(2022, 6, 15, 8)
    crowd = [Doc(f"c{i:03d}", t0 + timedelta(minutes=i), keywords=frozenset({f"k{i}"}),
                 entities=(popular[i % 5], f"Other {i}"), story_id=f"c{i:03d}") for i in range(500)]
    assert len(crowd) / len(popular) > MAX_PER_KEY and len(popular) * MAX_PER_KEY > MAX_CANDIDATES
    first = Doc("first", t0 - timedelta(hours=20), keywords=frozenset({"tariff", "steel"}),
                entities=(*popular, "Minister Lan Pei"), story_id="first")
    new = Doc("new", t0 + timedelta(hours=6), keywords=frozenset({"tariff", "steel"}),
              entities=(*popular, "Minister Lan Pei"))
    out = assign_stories([*crowd, first, new], {"new"}, threshold=0.45, window_days=3)
    assert out == {"new": "first"}


def test_on_the_farthest_days_of_the_window_an_article_is_a_candidate_by_its_time():
    """Placement takes a key's articles of a day whole when every time of that day is within the window of
    the new article's day, and checks each one's time on the farthest days: three days before 08:00 is in,
    three days before 07:30 is not."""
    new_at = datetime(2022, 6, 15, 8, 0)
    minister = ("Minister Lan Pei", "Port Ardel")

    def placed(aid: str, at: datetime) -> Doc:
        return Doc(aid, at, None, frozenset({"tariff", "steel", "quota"}), minister, story_id=aid)

    new = Doc("new", new_at, None, frozenset({"tariff", "steel", "quota"}), minister)
    out = assign_stories([placed("edge", new_at - timedelta(days=3)), new], {"new"}, threshold=0.45, window_days=3)
    assert out == {"new": "edge"}
    out = assign_stories([placed("past", new_at - timedelta(days=3, minutes=30)), new], {"new"}, threshold=0.45,
                         window_days=3)
    assert out == {"new": "new"}
    for before, joined in ((timedelta(days=2, hours=11), "two"), (timedelta(days=2, hours=12, minutes=30), "new")):
        out = assign_stories([placed("two", new_at - before), new], {"new"}, threshold=0.45, window_days=2.5)
        assert out == {"new": joined}  # a 2.5-day window: the day 2 days before is checked by time too
