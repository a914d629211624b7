from datetime import datetime

import duckdb
import pytest

from warehouse.batch import write_table
from warehouse.checks import DataCheckFailed, load_checks, run_checks
from warehouse.db import connect, migrations
from warehouse.load import load_batch
from warehouse.trends import daily_mentions, refresh_marts

T0 = datetime(2022, 6, 15, 8, 30)


def article(aid, day, text="Xi Jinping met Vladimir Putin."):
    return {"article_id": aid, "url": f"http://n.example/{aid}", "canonical_url": f"http://n.example/{aid}",
            "title": f"T {aid}", "authors": ["A"], "published_at": datetime(2022, 6, day, 9), "fetched_at": T0,
            "text": text, "word_count": len(text.split()), "relation": "seed", "hops": 0, "raw_sha256": "f" * 64}


def batch(tmp_path, name, articles, mentions, entities, urls):
    folder = tmp_path / name
    for table, rows in (("articles", articles), ("mentions", mentions), ("entities", entities), ("urls", urls)):
        write_table(folder, table, rows)
    return folder


def sample_batch(tmp_path, name="b1", state="stored", checked=T0):
    ents = [{"entity_id": "e1", "name": "Xi Jinping", "type": "PERSON", "first_seen_at": T0},
            {"entity_id": "e2", "name": "Vladimir Putin", "type": "PERSON", "first_seen_at": T0}]
    ments = [{"article_id": "a1", "entity_id": "e1", "surface": "Xi Jinping", "start_char": 0, "end_char": 10,
              "label": "PERSON"},
             {"article_id": "a1", "entity_id": "e2", "surface": "Vladimir Putin", "start_char": 15, "end_char": 29,
              "label": "PERSON"},
             {"article_id": "a2", "entity_id": "e1", "surface": "Xi Jinping", "start_char": 0, "end_char": 10,
              "label": "PERSON"}]
    urls = [{"url": "http://n.example/a1", "state": state, "article_id": "a1", "relation": "seed",
             "first_seen_at": checked, "last_checked_at": checked, "run_id": name}]
    return batch(tmp_path, name, [article("a1", 14), article("a2", 15)], ments, ents, urls)


def table_rows(db, table):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute(f"select * from {table}").fetchall(), key=str)
    finally:
        con.close()


def test_migrations_apply_once_and_are_recorded(tmp_path):
    db = tmp_path / "w.duckdb"
    connect(db).close()
    con = connect(db)  # second open: nothing pending
    versions = [v for (v,) in con.execute("select version from schema_migrations order by 1").fetchall()]
    con.close()
    assert versions == [v for v, _, _ in migrations()]
    assert versions[0] == 1


def test_load_is_idempotent(tmp_path):
    db = tmp_path / "w.duckdb"
    b = sample_batch(tmp_path)
    counts = load_batch(db, b)
    assert counts == {"articles": 2, "entities": 2, "mentions": 3, "urls": 1}
    before = {t: table_rows(db, t) for t in ("articles", "entities", "mentions", "urls")}
    load_batch(db, b)
    assert {t: table_rows(db, t) for t in before} == before
    run_checks(db)


def test_reload_replaces_mentions_and_keeps_first_seen(tmp_path):
    db = tmp_path / "w.duckdb"
    load_batch(db, sample_batch(tmp_path, "b1"))
    later = datetime(2022, 6, 20)
    b2 = sample_batch(tmp_path, "b2", state="unchanged", checked=later)
    write_table(b2, "mentions", [{"article_id": "a1", "entity_id": "e1", "surface": "Xi Jinping",
                                  "start_char": 0, "end_char": 10, "label": "PERSON"}])
    load_batch(db, b2)
    assert len([m for m in table_rows(db, "mentions") if m[0] == "a1"]) == 1
    (url,) = table_rows(db, "urls")
    assert url[1] == "unchanged" and url[9] == T0 and url[10] == later  # first_seen_at kept


def test_failed_load_leaves_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    b = sample_batch(tmp_path)
    dup = {"article_id": "a1", "entity_id": "e1", "surface": "Xi Jinping", "start_char": 0, "end_char": 10,
           "label": "PERSON"}
    write_table(b, "mentions", [dup, dup])  # a key violation after articles were inserted
    with pytest.raises(duckdb.ConstraintException):
        load_batch(db, b)
    assert table_rows(db, "articles") == []


def test_checks_catch_bad_rows(tmp_path):
    db = tmp_path / "w.duckdb"
    load_batch(db, sample_batch(tmp_path))
    con = connect(db)
    con.execute("insert into entities values ('e9', 'Tuesday', 'DATE', now()::timestamp)")
    con.execute("insert into mentions values ('a2', 'e2', 'Wrong', 20, 25, 'PERSON')")
    con.close()
    with pytest.raises(DataCheckFailed) as err:
        run_checks(db)
    assert "entities_type_accepted" in str(err.value)
    assert "mentions_offsets_match_text" in str(err.value)
    assert len(load_checks()) >= 10


def test_trends_filters_and_marts(tmp_path):
    db = tmp_path / "w.duckdb"
    load_batch(db, sample_batch(tmp_path))
    cols, rows = daily_mentions(db)
    assert cols == ["day", "name", "type", "mentions", "articles"]
    assert [(str(r[0]), r[1], r[3]) for r in rows] == [
        ("2022-06-15", "Xi Jinping", 1), ("2022-06-14", "Vladimir Putin", 1), ("2022-06-14", "Xi Jinping", 1)]
    _, only_xi = daily_mentions(db, entity="xi jinping")
    assert {r[1] for r in only_xi} == {"Xi Jinping"} and len(only_xi) == 2
    _, last_day = daily_mentions(db, days=1)
    assert {str(r[0]) for r in last_day} == {"2022-06-15"}
    assert refresh_marts(db) == {"entity_totals": 2}
    totals = {r[1]: (r[3], r[4]) for r in table_rows(db, "entity_totals")}
    assert totals == {"Xi Jinping": (2, 2), "Vladimir Putin": (1, 1)}


def test_read_only_open_of_missing_warehouse_is_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match="newsmon run"):
        connect(tmp_path / "absent.duckdb", read_only=True)
