"""Grouping reads its pool by key (duplicate_bands, story_keys): a stream of batches gets the same
near-duplicates and stories as judging every article of the window (the pool before migration 0012), and a
load reads only the stored articles its batch shares a key with."""

from __future__ import annotations

import gc
import random
from datetime import datetime, timedelta

import duckdb
import pytest

from core.config import Grouping
from newsmon.stage import load_batch
from tests.warehouse.undo import undo_0013
from transform.dedup import signature
from transform.grouping import regroup
from transform.records import Doc
from warehouse.batch import write_table

START = datetime(2022, 6, 1, 6)
POPULAR = ["China", "Beijing", "Xi Jinping", "United States", "Taiwan", "Russia"]


def stream(events: int, seed: int = 3) -> list[dict]:
    """Articles of `events` events over eight days: each event 2-6 articles within hours of each other,
    naming a popular entity or two, the event's own people and places and a random extra; one article in
    four is a wire copy of its event's first (the same text and a line of its own)."""
    rng = random.Random(seed)
    vocab = [f"word{i}" for i in range(3000)]
    out = []
    for event in range(events):
        at = START + timedelta(days=rng.uniform(0, 8))
        base = " ".join(rng.choices(vocab, k=120))
        own = [f"Person {event}", f"Town {event}", f"Agency {event % 37}"]
        words = [f"term{event}x{i}" for i in range(10)] + rng.sample(vocab[:60], 6)
        for k in range(rng.randint(2, 6)):
            copy = k > 0 and rng.random() < 0.25
            text = base if k == 0 else base + f" Reported by desk {k}." if copy else " ".join(rng.choices(vocab, k=120))
            names = rng.sample(POPULAR, 2)[: rng.randint(1, 2)] + own[: rng.randint(2, 3)] + \
                [f"Extra {rng.randint(0, 400)}"]
            out.append({"article_id": f"e{event:04d}k{k}", "at": at + timedelta(minutes=rng.randint(0, 300)),
                        "text": text, "entities": names, "keywords": rng.sample(words, 10)})
    return sorted(out, key=lambda a: (a["at"], a["article_id"]))


def read_rows(db, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def write_batch(folder, articles: list[dict]) -> None:
    ents = {n for a in articles for n in a["entities"]}
    eid = {n: "x" + n.lower().replace(" ", "_") for n in ents}
    write_table(folder, "articles", [
        {"article_id": a["article_id"], "url": f"http://n.example/{a['article_id']}",
         "canonical_url": f"http://n.example/{a['article_id']}", "title": a["article_id"], "authors": [],
         "published_at": a["at"], "fetched_at": a["at"] + timedelta(hours=1), "text": a["text"],
         "word_count": len(a["text"].split()), "relation": "linked", "hops": 1, "raw_sha256": "f" * 64,
         "site_name": f"Outlet {hash(a['article_id']) % 5}"} for a in articles])
    write_table(folder, "entities", [{"entity_id": eid[n], "name": n, "type": "PERSON", "first_seen_at": START}
                                     for n in sorted(ents)])
    write_table(folder, "article_entities", [
        {"article_id": a["article_id"], "entity_id": eid[n], "mentions": 1, "first_char": 0, "in_headline": False,
         "salience": 1.0 - i / 10} for a in articles for i, n in enumerate(a["entities"])])
    write_table(folder, "article_signatures", [
        {"article_id": a["article_id"], "minhash": signature(a["text"]), "keywords": a["keywords"]}
        for a in articles])


def doc(a: dict) -> Doc:
    return Doc(a["article_id"], a["at"], signature(a["text"]), frozenset(a["keywords"]),
               tuple(n.lower() for n in a["entities"]))


def whole_window(batches: list[list[dict]], grouping: Grouping) -> dict[str, tuple[str | None, str | None]]:
    """The placement before 0012: each load judged every stored article of the window around its batch."""
    days = timedelta(days=max(grouping.duplicate_window_days, grouping.story_window_days))
    stored: dict[str, Doc] = {}
    for articles in batches:
        for a in articles:
            stored[a["article_id"]] = doc(a)
        ids = {a["article_id"] for a in articles}
        lo, hi = min(a["at"] for a in articles) - days, max(a["at"] for a in articles) + days
        pool = {aid: d for aid, d in stored.items() if aid in ids or lo <= d.at <= hi}
        regroup(pool, ids, grouping)
    return {aid: (d.duplicate_of, d.story_id) for aid, d in stored.items()}


def batches_of(articles: list[dict], n: int) -> list[list[dict]]:
    size = -(-len(articles) // n)
    return [articles[i:i + size] for i in range(0, len(articles), size)]


@pytest.mark.parametrize(("grouping", "events"), [(Grouping(), 600), (Grouping(story_threshold=0.35), 120)],
                         ids=["default", "keywords-too"])
def test_keyed_pool_groups_a_stream_as_the_whole_window_did(tmp_path, grouping, events):
    """600 events: about 300 articles a day, 75 a day on each popular entity, so the per-key reads are capped."""
    batches = batches_of(stream(events), 6)
    db = tmp_path / "w.duckdb"
    for i, articles in enumerate(batches):
        write_batch(tmp_path / f"b{i}", articles)
        load_batch(db, tmp_path / f"b{i}", grouping=grouping)
    got = dict((aid, (dup, story)) for aid, dup, story in
               read_rows(db, "select article_id, duplicate_of, story_id from articles"))
    want = whole_window(batches, grouping)
    assert sum(1 for v in want.values() if v[0]) >= events / 3  # the stream has copies and multi-article stories
    assert len({v[1] for v in want.values()}) < len(want) * 0.6
    assert got == want
    assert gc.isenabled()  # paused while each load's pool was read and judged, then on again
    stories = read_rows(db, "select story_id, size, copies from stories order by 1")  # none left empty by a move
    assert stories == read_rows(db, "select story_id, count(*) filter (where duplicate_of is null), count(*) "
                                    "from articles group by 1 order by 1")


def test_a_load_reads_only_the_stored_articles_its_batch_shares_a_key_with(tmp_path, caplog):
    articles = stream(60)
    db = tmp_path / "w.duckdb"
    write_batch(tmp_path / "old", articles)
    load_batch(db, tmp_path / "old")
    src = articles[-1]
    event = int(src["article_id"][1:5])
    new = [{"article_id": "new1", "at": src["at"] + timedelta(hours=1), "text": src["text"] + " Updated.",
            "entities": [f"Person {event}", f"Town {event}"], "keywords": src["keywords"]}]
    write_batch(tmp_path / "new", new)
    caplog.set_level("INFO", logger="newsmon.warehouse")
    caplog.clear()
    load_batch(db, tmp_path / "new")
    bands = {r[0] for r in read_rows(db, "select article_id from duplicate_bands where (band, band_key) in "
                                         "(select (band, band_key) from duplicate_bands where article_id = 'new1')")}
    sharing = {r[0] for r in read_rows(  # what the load may read: those and the carriers of their story keys
        db, "select article_id from story_keys where article_at between ? and ? and key in (select key from "
            f"story_keys where article_id in ({', '.join('?' * len(bands))}))",
        [new[0]["at"] - timedelta(days=3), new[0]["at"] + timedelta(days=3), *sorted(bands)])} | bands
    dup, story = read_rows(db, "select duplicate_of, story_id from articles where article_id = 'new1'")[0]
    assert dup is not None and dup in bands  # a copy of the last article (or of a copy of it)
    assert story == read_rows(db, "select story_id from articles where article_id = ?", [dup])[0][0]
    window = read_rows(db, "select count(*) from articles where published_at between ? and ?",
                       [new[0]["at"] - timedelta(days=7), new[0]["at"] + timedelta(days=7)])[0][0]
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("grouping:")]
    assert len(said) == 1 and said[0].startswith("grouping: 1 new article(s) judged against ")
    read = int(said[0].split("against ")[1].split()[0])
    assert len(bands) <= read <= len(sharing)  # placed carriers only: copies are not story candidates
    assert window > 3 * len(sharing)  # the window holds many more, and they were not read


def test_keys_follow_reloads_merges_and_a_new_duplicate_threshold(tmp_path):
    articles = stream(10)
    db = tmp_path / "w.duckdb"
    write_batch(tmp_path / "b1", articles)
    load_batch(db, tmp_path / "b1")
    moved = dict(articles[0], at=articles[0]["at"] + timedelta(days=2))
    write_batch(tmp_path / "b2", [moved])
    load_batch(db, tmp_path / "b2", grouping=Grouping(duplicate_threshold=0.8))
    rows = read_rows(db, "select article_at, count(*) from duplicate_bands where article_id = ? group by 1",
                     [moved["article_id"]])
    from transform.dedup import bands
    assert rows == [(moved["at"], bands(0.8)[0])]  # one row per band of the new layout, at the new time
    assert read_rows(db, "select count(distinct article_id) from duplicate_bands")[0][0] == len(articles)
    assert read_rows(db, "select value from warehouse_settings where key = 'duplicate_bands'")[0][0] == \
        "{}x{}".format(*bands(0.8))
    keys = read_rows(db, "select article_at, list(key order by rank) from story_keys where article_id = ? "
                         "group by 1", [moved["article_id"]])
    assert keys == [(moved["at"], [n.lower() for n in moved["entities"]])]


def test_an_alias_merge_rewrites_the_story_keys_of_the_articles_it_touches(tmp_path):
    def one_article(name, aid, text, ents, aliases):
        folder = tmp_path / name
        write_batch(folder, [{"article_id": aid, "at": START, "text": text, "entities": [], "keywords": ["summit"]}])
        write_table(folder, "entities", [{"entity_id": e, "name": n, "type": "PERSON", "first_seen_at": START}
                                         for e, n, _ in ents])
        write_table(folder, "mentions", [{"article_id": aid, "entity_id": e, "surface": s, "start_char": text.index(s),
                                          "end_char": text.index(s) + len(s), "label": "PERSON"} for e, _, s in ents])
        write_table(folder, "article_entities", [
            {"article_id": aid, "entity_id": e, "mentions": 1, "first_char": text.index(s), "in_headline": False,
             "salience": 0.9 - i / 10} for i, (e, _, s) in enumerate(ents)])
        write_table(folder, "entity_aliases", [{"entity_id": e, "alias": a, "name_form": f, "first_seen_at": START}
                                               for e, a, f in aliases])
        return folder

    db = tmp_path / "w.duckdb"
    load_batch(db, one_article("b1", "a1", "Mr Xi spoke in Moscow.", [("exi", "Xi", "Mr Xi")],
                               [("exi", "Mr Xi", "Xi")]))
    assert read_rows(db, "select key from story_keys where article_id = 'a1'") == [("xi",)]
    load_batch(db, one_article("b2", "a2", "Xi Jinping and President Xi.", [("exj", "Xi Jinping", "Xi Jinping")],
                               [("exj", "Xi Jinping", "Xi Jinping"), ("exj", "President Xi", "Xi")]))
    assert read_rows(db, "select name from entities") == [("Xi Jinping",)]  # "Xi" folded into the full name
    assert read_rows(db, "select article_id, key from story_keys order by 1") == [("a1", "xi jinping"),
                                                                                  ("a2", "xi jinping")]


def test_a_version_11_warehouse_gets_the_keys_of_its_stored_articles(tmp_path):
    """Migration 0012 writes the band and story keys of what is stored, the way a load writes them: a copy
    loaded after the upgrade finds its original through the migrated keys."""
    articles = stream(30)
    db = tmp_path / "w.duckdb"
    write_batch(tmp_path / "old", articles)
    load_batch(db, tmp_path / "old")
    before = read_rows(db, "select article_id, band, band_key from duplicate_bands order by all")
    keys = read_rows(db, "select article_id, rank, key, article_at from story_keys order by all")
    con = duckdb.connect(str(db))  # back to version 11
    undo_0013(con)
    con.execute("delete from schema_migrations where version = 12")
    con.execute("drop table duplicate_bands")
    con.execute("drop table story_keys")
    con.execute("delete from warehouse_settings where key = 'duplicate_bands'")
    con.execute("alter table article_signatures drop column article_at")
    con.close()
    src = articles[-1]
    new = [dict(src, article_id="copy", at=src["at"] + timedelta(hours=2), text=src["text"] + " Updated.")]
    write_batch(tmp_path / "new", new)
    load_batch(db, tmp_path / "new")  # migrates first
    assert read_rows(db, "select article_id, band, band_key from duplicate_bands where article_id <> 'copy' "
                         "order by all") == before
    assert read_rows(db, "select article_id, rank, key, article_at from story_keys where article_id <> 'copy' "
                         "order by all") == keys
    assert read_rows(db, "select count(*) from article_signatures where article_at is null")[0][0] == 0
    dup = read_rows(db, "select duplicate_of from articles where article_id = 'copy'")[0][0]
    assert dup is not None
