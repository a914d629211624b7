"""Co-occurrence from pair counts (migration 0013): the loads keep entity_pairs_mart, entity_salient_mart and
entity_totals.salient_articles equal to their definitions over the whole warehouse, through copies, alias
merges and months; cooccurrence() answers from them what cooccurrence_all() computes from every mention when
no article has more than eight entities; an upgraded warehouse gets the pairs its loads would have written."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta

import duckdb
import pytest

from newsmon.stage import load_batch
from tests.conftest import read_rows
from tests.warehouse.undo import undo_0013
from transform.dedup import signature
from warehouse.batch import write_table
from warehouse.checks import run_checks
from warehouse.db import publish, read_connection
from warehouse.trends import close_months_of

START = datetime(2022, 6, 20, 6)
POPULAR = ["China", "Beijing", "Xi Jinping", "Taiwan", "Russia"]


def articles(n: int, start: datetime, days: int, seed: int, width: int = 6) -> list[dict]:
    """`n` articles over `days` days, each naming up to `width` entities (popular ones first), most salient
    first; one in five is a wire copy of the one before (the same text, so a near-duplicate)."""
    rng = random.Random(seed)
    vocab = [f"word{i}" for i in range(2000)]
    out: list[dict] = []
    for i in range(n):
        if out and rng.random() < 0.2:
            prev = out[-1]
            out.append(dict(prev, article_id=f"{prev['article_id']}c", at=prev["at"] + timedelta(minutes=30)))
            continue
        names = [*rng.sample(POPULAR, 2), f"Person {rng.randint(0, 30)}", f"Place {rng.randint(0, 12)}"]
        names += [f"Extra {i}x{k}" for k in range(width - len(names))]
        out.append({"article_id": f"s{seed}a{i:04d}", "at": start + timedelta(hours=rng.uniform(0, 24 * days)),
                    "names": list(dict.fromkeys(names)), "words": " ".join(rng.choices(vocab, k=80))})
    return out


def write(folder, batch: list[dict]) -> None:
    """A staging batch whose mentions point at the names in each text (so the data checks pass)."""
    eid = {n: "x" + n.lower().replace(" ", "_") for a in batch for n in a["names"]}
    texts = {a["article_id"]: ". ".join(a["names"]) + ". " + a["words"] for a in batch}
    write_table(folder, "articles", [
        {"article_id": a["article_id"], "url": f"http://n.example/{a['article_id']}",
         "canonical_url": f"http://n.example/{a['article_id']}", "title": a["article_id"], "authors": [],
         "published_at": a["at"], "fetched_at": a["at"] + timedelta(hours=1), "text": texts[a["article_id"]],
         "word_count": len(texts[a["article_id"]].split()), "relation": "linked", "hops": 1, "raw_sha256": "f" * 64,
         "site_name": f"Outlet {sum(map(ord, a['article_id'])) % 4}"} for a in batch])
    write_table(folder, "entities", [{"entity_id": e, "name": n, "type": "PERSON", "first_seen_at": START}
                                     for n, e in sorted(eid.items())])
    mentions, salience = [], []
    for a in batch:
        text, at = texts[a["article_id"]], 0
        for rank, n in enumerate(a["names"]):
            start = text.index(n, at)
            at = start + len(n)
            mentions.append({"article_id": a["article_id"], "entity_id": eid[n], "surface": n, "start_char": start,
                             "end_char": at, "label": "PERSON"})
            salience.append({"article_id": a["article_id"], "entity_id": eid[n], "mentions": 1, "first_char": start,
                             "in_headline": False, "salience": round(1.0 - rank / 20, 3)})
    write_table(folder, "mentions", mentions)
    write_table(folder, "article_entities", salience)
    write_table(folder, "article_signatures", [
        {"article_id": a["article_id"], "minhash": signature(texts[a["article_id"]]),
         "keywords": a["words"].split()[:10]} for a in batch])


def loaded(tmp_path, batches: list[list[dict]]):
    db = tmp_path / "w.duckdb"
    for k, batch in enumerate(batches):
        write(tmp_path / f"b{k}", batch)
        load_batch(db, tmp_path / f"b{k}")
    return db


def marts(db) -> tuple[list, list, list]:
    return (read_rows(db, "select * from entity_pairs_mart order by all"),
            read_rows(db, "select * from entity_salient_mart order by all"),
            read_rows(db, "select entity_id, salient_articles from entity_totals where salient_articles > 0 "
                          "order by all"))


def defined(db) -> tuple[list, list, list]:
    """The marts' definitions over every stored article."""
    return (read_rows(db, "select * from entity_pairs_of(null) order by all"),
            read_rows(db, "select * from entity_salient_of(null) order by all"),
            read_rows(db, "select entity_id, sum(articles) from entity_salient_of(null) group by all order by all"))


def sorted_before(db) -> list:
    return read_rows(db, "select value from warehouse_settings where key = 'marts_sorted_before'")


def test_loads_keep_the_pair_marts_equal_to_their_definition_and_the_month_close_sorts_closed_months(tmp_path):
    """Two June loads, a late June one (days stored already), then July; the loads leave June as they wrote
    it, a day at a time; the month close after them (close_months_of) rewrites June in entity order."""
    june = articles(160, START, 10, seed=1)  # 20 June to 30 June
    late = articles(40, START + timedelta(days=3), 2, seed=2)  # June again: days already stored
    july = articles(60, datetime(2022, 7, 2, 6), 3, seed=3)
    db = loaded(tmp_path, [june[:80], june[80:], late, july])
    pairs, salient, totals = marts(db)
    assert (pairs, salient, totals) == defined(db) and len(pairs) > 1000
    assert read_rows(db, "select count(*) from articles where duplicate_of is not null")[0][0] > 20
    in_june = "select entity_id, other_id, day from entity_pairs_mart where day < '2022-07-01'"
    assert sorted_before(db) == [("",)] and read_rows(db, in_june) != sorted(read_rows(db, in_june))
    moved = close_months_of(db)
    # June closed: its rows now sit in entity order, in one run; July's are left to the next close
    assert moved == len(read_rows(db, in_june)) + len(read_rows(db, "select * from entity_daily_mart "
                                                                     "where day < '2022-07-01'"))
    assert sorted_before(db) == [("2022-07-01",)] and marts(db) == (pairs, salient, totals)
    assert read_rows(db, in_june) == sorted(read_rows(db, in_june))
    series = read_rows(db, "select entity_id, day from entity_daily_mart where day < '2022-07-01'")
    assert series == sorted(series) and len(series) > 100
    assert close_months_of(db) == 0  # nothing more to close
    assert close_months_of(db, today=date(2022, 6, 30)) == 0  # July's days are after that day: not closing
    publish(db)
    run_checks(db)


def test_a_closed_month_that_later_loads_scattered_is_sorted_again_at_the_next_close(tmp_path, monkeypatch):
    """June is sorted by the month close after July's first load; a late June batch loaded in July writes
    some of its days apart again (kept in the setting marts_scattered_days); the close after August's first
    load sorts June again."""
    import warehouse.trends

    monkeypatch.setattr(warehouse.trends, "SCATTERED_DAYS", 2)
    db = loaded(tmp_path, [articles(120, START, 10, seed=6), articles(20, datetime(2022, 7, 2, 6), 2, seed=7)])
    close_months_of(db)

    def june_in_order() -> bool:
        stored = read_rows(db, "select entity_id, other_id, day from entity_pairs_mart where day < '2022-07-01'")
        return stored == sorted(stored)

    def scattered() -> list:
        return read_rows(db, "select value from warehouse_settings where key = 'marts_scattered_days'")

    assert june_in_order() and scattered() in ([], [("[]",)])
    write(tmp_path / "late", articles(30, START + timedelta(days=4), 3, seed=8))
    load_batch(db, tmp_path / "late")  # in July: June's touched days move to the end of the table
    assert not june_in_order() and len(json.loads(scattered()[0][0])) >= 2
    assert close_months_of(db) == 0  # no month closed: June waits for the next close, whatever its days
    write(tmp_path / "august", articles(20, datetime(2022, 8, 2, 6), 2, seed=9))
    load_batch(db, tmp_path / "august")
    assert not june_in_order()
    close_months_of(db)  # July closed, June sorted again with it
    assert june_in_order() and marts(db) == defined(db) and scattered() == [("[]",)]
    assert sorted_before(db) == [("2022-08-01",)]


def test_the_month_close_runs_after_a_publish_and_publishes_what_it_sorted(tmp_path):
    """newsmon.pipeline.upkeep: nothing while a load is unpublished (its data are not checked yet); after
    the publish, June's close, published: readers see June in entity order."""
    from core.config import Settings
    from newsmon.pipeline import upkeep

    db = loaded(tmp_path, [articles(120, START, 10, seed=11), articles(30, START + timedelta(days=4), 3, seed=13),
                           articles(20, datetime(2022, 7, 2, 6), 2, seed=12)])
    settings = Settings(seeds=["http://n.example/seed"], db=db, data_dir=tmp_path / "data")
    assert upkeep(settings) == 0 and sorted_before(db) == [("",)]  # the loads are not published yet
    publish(db)
    june = "select entity_id, other_id, day from entity_pairs_mart where day < '2022-07-01'"
    with read_connection(db) as con:
        before = con.execute(june).fetchall()
    assert before != sorted(before)
    assert upkeep(settings, "r1") > 0 and sorted_before(db) == [("2022-07-01",)]
    with read_connection(db) as con:
        after = con.execute(june).fetchall()
        assert con.execute("select run_id from publications order by published_at desc limit 1").fetchall() == \
            [("r1",)]
    assert after == sorted(before)
    assert upkeep(settings) == 0  # once a month


def test_cooccurrence_equals_every_mention_when_articles_name_at_most_eight_entities(tmp_path):
    db = loaded(tmp_path, [articles(150, START, 6, seed=4, width=8)])
    publish(db)
    con = duckdb.connect(str(db), read_only=True)
    for name in [*POPULAR, "Person 3"]:
        for since in (None, date(2022, 6, 23)):
            fast = con.execute("select * from cooccurrence(?, since := ?)", [name, since]).fetchall()
            every = con.execute("select * from cooccurrence_all(?, since := ?)", [name, since]).fetchall()
            assert fast == every, (name, since)
            assert len(fast) > 3 or name == "Person 3", (name, since)
    con.close()


def test_only_the_eight_most_salient_entities_of_an_article_pair_up(tmp_path):
    one = [{"article_id": "wide", "at": START, "names": [f"Name {k}" for k in range(11)], "words": "w " * 20}]
    db = loaded(tmp_path, [one])
    publish(db)
    fast = {r[0] for r in read_rows(db, "select * from cooccurrence('Name 0')")}
    every = {r[0] for r in read_rows(db, "select * from cooccurrence_all('Name 0')")}
    assert fast == {f"Name {k}" for k in range(1, 8)}
    assert every == {f"Name {k}" for k in range(1, 11)}
    assert read_rows(db, "select count(*) from entity_pairs_mart")[0][0] == 8 * 7
    with pytest.raises(duckdb.Error, match="no entity named"):
        read_rows(db, "select * from cooccurrence('Nobody')")


def test_an_alias_merge_moves_the_pairs_to_the_full_name(tmp_path):
    db = tmp_path / "w.duckdb"
    for k, (aid, names, aliases) in enumerate([
            ("a1", [("exi", "Xi", "Mr Xi"), ("eru", "Russia", "Russia")], [("exi", "Mr Xi", "Xi")]),
            ("a2", [("exj", "Xi Jinping", "Xi Jinping"), ("ech", "China", "China")],
             [("exj", "Xi Jinping", "Xi Jinping"), ("exj", "President Xi", "Xi")])]):
        folder = tmp_path / f"m{k}"
        text = " and ".join(s for _, _, s in names) + " met."
        words = " ".join(f"{aid}w{i}" for i in range(40))
        write(folder, [{"article_id": aid, "at": START, "names": [], "words": words}])
        write_table(folder, "articles", [
            {"article_id": aid, "url": f"http://n.example/{aid}", "canonical_url": f"http://n.example/{aid}",
             "title": aid, "authors": [], "published_at": START, "fetched_at": START, "text": text,
             "word_count": len(text.split()), "relation": "linked", "hops": 1, "raw_sha256": "f" * 64}])
        write_table(folder, "entities", [{"entity_id": e, "name": n, "type": "PERSON", "first_seen_at": START}
                                         for e, n, _ in names])
        write_table(folder, "mentions", [{"article_id": aid, "entity_id": e, "surface": s,
                                          "start_char": text.index(s), "end_char": text.index(s) + len(s),
                                          "label": "PERSON"} for e, _, s in names])
        write_table(folder, "article_entities", [
            {"article_id": aid, "entity_id": e, "mentions": 1, "first_char": text.index(s), "in_headline": False,
             "salience": 0.9 - i / 10} for i, (e, _, s) in enumerate(names)])
        write_table(folder, "entity_aliases", [{"entity_id": e, "alias": a, "name_form": f, "first_seen_at": START}
                                               for e, a, f in aliases])
        load_batch(db, folder)
    assert marts(db) == defined(db)
    assert read_rows(db, "select entity_id, other_id, articles from entity_pairs_mart where entity_id = 'exj' "
                         "order by all") == [("exj", "ech", 1), ("exj", "eru", 1)]
    publish(db)
    assert {r[0]: r[2] for r in read_rows(db, "select * from cooccurrence('Mr Xi')")} == {"China": 1, "Russia": 1}


def test_a_version_12_warehouse_gets_the_pairs_its_loads_would_have_written(tmp_path):
    db = loaded(tmp_path, [articles(120, START, 12, seed=5)])
    before = marts(db)
    keys = read_rows(db, "select * from story_keys order by all")
    con = duckdb.connect(str(db))
    undo_0013(con)
    con.close()
    write(tmp_path / "none", [])
    load_batch(db, tmp_path / "none")  # migrates first
    assert marts(db) == before
    assert read_rows(db, "select * from story_keys order by all") == keys
    assert read_rows(db, "select value from warehouse_settings where key = 'marts_sorted_before'") == \
        [("2022-07-01",)]
