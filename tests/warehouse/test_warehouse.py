from datetime import datetime
from pathlib import Path

import duckdb
import pytest

import warehouse
from newsmon.stage import load_batch
from tests.conftest import read_rows
from warehouse.batch import write_table
from warehouse.checks import DataCheckFailed, load_checks, run_checks
from warehouse.db import connect, migrations, publish
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


def person(eid, name):
    return {"entity_id": eid, "name": name, "type": "PERSON", "first_seen_at": T0}


def alias(eid, surface, form):
    return {"entity_id": eid, "alias": surface, "name_form": form, "first_seen_at": T0}


def mention(aid, eid, surface, start):
    return {"article_id": aid, "entity_id": eid, "surface": surface, "start_char": start,
            "end_char": start + len(surface), "label": "PERSON"}


def test_short_form_alone_attaches_to_the_unique_full_name_across_articles(tmp_path):
    db = tmp_path / "w.duckdb"
    # run 1: an article that only says "Mr Xi" -> entity "Xi"
    lone = article("a1", 14, text="Mr Xi spoke.")
    load_batch(db, batch(tmp_path, "b1", [lone], [mention("a1", "exi", "Mr Xi", 0)], [person("exi", "Xi")], []))
    write_table(tmp_path / "b1", "entity_aliases", [alias("exi", "Mr Xi", "Xi")])
    load_batch(db, tmp_path / "b1")
    assert {r[1] for r in table_rows(db, "entities")} == {"Xi"}
    # run 2: another article names him in full and calls him "President Xi"
    full = article("a2", 15, text="Xi Jinping and President Xi.")
    ments = [mention("a2", "exj", "Xi Jinping", 0), mention("a2", "exj", "President Xi", 15)]
    b2 = batch(tmp_path, "b2", [full], ments, [person("exj", "Xi Jinping")], [])
    write_table(b2, "entity_aliases", [alias("exj", "Xi Jinping", "Xi Jinping"), alias("exj", "President Xi", "Xi")])
    load_batch(db, b2)
    assert {r[1] for r in table_rows(db, "entities")} == {"Xi Jinping"}
    assert {(r[0], r[1]) for r in table_rows(db, "mentions")} == {("a1", "exj"), ("a2", "exj")}
    assert {r[1] for r in table_rows(db, "entity_aliases")} == {"Mr Xi", "President Xi", "Xi Jinping"}
    run_checks(db)
    load_batch(db, b2)  # idempotent
    assert {r[1] for r in table_rows(db, "entities")} == {"Xi Jinping"}


def test_short_form_with_two_full_names_stays_ambiguous(tmp_path):
    db = tmp_path / "w.duckdb"
    arts = [article("a1", 14, text="Mr Wallace"), article("a2", 14, text="Ben Wallace"),
            article("a3", 14, text="Gregg Wallace")]
    ents = [person("w", "Wallace"), person("bw", "Ben Wallace"), person("gw", "Gregg Wallace")]
    ments = [mention("a1", "w", "Mr Wallace", 0), mention("a2", "bw", "Ben Wallace", 0),
             mention("a3", "gw", "Gregg Wallace", 0)]
    b = batch(tmp_path, "b", arts, ments, ents, [])
    write_table(b, "entity_aliases", [alias("w", "Mr Wallace", "Wallace"), alias("bw", "Mr Wallace", "Wallace"),
                                      alias("gw", "Mr Wallace", "Wallace")])
    load_batch(db, b)
    assert {r[1] for r in table_rows(db, "entities")} == {"Wallace", "Ben Wallace", "Gregg Wallace"}
    run_checks(db)


def test_unmerged_alias_fails_the_checks(tmp_path):
    db = tmp_path / "w.duckdb"
    load_batch(db, sample_batch(tmp_path))
    con = connect(db)  # rows written behind the load's back, as a buggy writer would
    con.execute("insert into entities values ('ex', 'Xi', 'PERSON', now()::timestamp, null, null)")
    con.execute("insert into entity_aliases values ('e1', 'Mr Xi', 'Xi', now()::timestamp)")
    con.close()
    with pytest.raises(DataCheckFailed, match="entities_no_unmerged_alias"):
        run_checks(db)


def test_migrations_apply_once_and_are_recorded(tmp_path):
    db = tmp_path / "w.duckdb"
    connect(db).close()
    con = connect(db)  # second open: nothing pending
    versions = [v for (v,) in con.execute("select version from schema_migrations order by 1").fetchall()]
    con.close()
    assert versions == [v for v, _, _ in migrations()]
    assert versions[:2] == [1, 2]


def test_load_is_idempotent(tmp_path):
    db = tmp_path / "w.duckdb"
    b = sample_batch(tmp_path)
    counts = load_batch(db, b)
    assert counts == {"articles": 2, "entities": 2, "mentions": 3, "urls": 1, "entity_aliases": 0,
                      "article_entities": 0, "article_signatures": 0, "searches": 0}
    before = {t: table_rows(db, t) for t in ("articles", "entities", "mentions", "urls")}
    load_batch(db, b)
    assert {t: table_rows(db, t) for t in before} == before
    run_checks(db)


def test_the_load_finds_stored_articles_and_urls_by_their_numeric_keys(tmp_path):
    """Stored rows are found by article_key / url_key (migration 0022), then by their keys: each is the md5
    number of its key, and a row the key number does not lead to is not updated but stored again (which the
    checks then report)."""
    db = tmp_path / "w.duckdb"
    b = sample_batch(tmp_path)
    load_batch(db, b)
    assert read_rows(db, "select count(*) from articles where article_key = md5_number_lower(article_id)") == [(2,)]
    assert read_rows(db, "select count(*) from urls where url_key = md5_number_lower(url)") == [(1,)]
    con = connect(db)
    con.execute("update articles set article_key = article_key + 1 where article_id = 'a1'")
    con.execute("update urls set url_key = null")
    con.close()
    load_batch(db, b)
    assert read_rows(db, "select article_id, count(*) from articles group by all order by 1") == [("a1", 2), ("a2", 1)]
    assert read_rows(db, "select count(*) from urls") == [(2,)]
    with pytest.raises(DataCheckFailed) as err:
        run_checks(db)
    assert "lookup_keys (2 rows" in str(err.value) and "articles_unique" in str(err.value)


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
    unnamed = {"article_id": "a1", "entity_id": "e1", "surface": None, "start_char": 0, "end_char": 10,
               "label": "PERSON"}
    write_table(b, "mentions", [unnamed])  # a not-null violation after articles were inserted
    with pytest.raises(duckdb.ConstraintException):
        load_batch(db, b)
    assert table_rows(db, "articles") == []


def test_checks_catch_bad_rows(tmp_path):
    db = tmp_path / "w.duckdb"
    load_batch(db, sample_batch(tmp_path))
    con = connect(db)
    con.execute("insert into entities values ('e9', 'Tuesday', 'DATE', now()::timestamp, null, null)")
    con.execute("insert into mentions select 'a2', 'e2', 'Wrong', 20, 25, 'PERSON', published_at from articles "
                "where article_id = 'a2'")
    # the keys of the two largest tables are checked, not indexed (migration 0014)
    con.execute("insert into mentions select * from mentions where article_id = 'a1' limit 1")
    con.execute("insert into article_entities select 'a1', 'e1', 1, 0, true, 0.9, published_at from articles, range(2) "
                "where article_id = 'a1'")
    # the article's time they carry is the article's (migration 0017)
    con.execute("update mentions set article_at = article_at + interval 1 hour where article_id = 'a1' "
                "and start_char = 15")
    con.execute("update articles set duplicate_of = 'a9' where article_id = 'a2'")  # a copy of nothing stored
    con.execute("update urls set article_id = 'a8' where article_id = 'a1'")  # a stored URL without its article
    con.execute("update articles set canonical_url = 'http://n.example/a1' where article_id = 'a2'")
    con.execute("update articles set article_key = 7 where article_id = 'a2'")  # the load would miss it
    con.close()
    with pytest.raises(DataCheckFailed) as err:
        run_checks(db)
    assert "articles_canonical_url_unique (1 rows, e.g. ('http://n.example/a1', 2)" in str(err.value)
    assert "lookup_keys (1 rows, e.g. ('article', 'a2')" in str(err.value)
    assert "entities_type_accepted" in str(err.value)
    assert "mentions_offsets_match_text" in str(err.value)
    assert "mentions_article_time (1 rows, e.g. ('mentions', 'a1'" in str(err.value)
    assert "mentions_unique" in str(err.value)
    assert "article_entities_unique" in str(err.value)
    assert "duplicates_point_at_representatives" in str(err.value)
    assert "urls_article_states_have_article" in str(err.value)
    assert len(load_checks()) >= 10


def later_batch(tmp_path, name="b2"):
    """Two new articles (a3, a4) after sample_batch's, three mentions."""
    ments = [mention("a3", "e1", "Xi Jinping", 0), mention("a3", "e2", "Vladimir Putin", 15),
             mention("a4", "e2", "Vladimir Putin", 15)]
    return batch(tmp_path, name, [article("a3", 16), article("a4", 16)], ments,
                 [person("e1", "Xi Jinping"), person("e2", "Vladimir Putin")], [])


def loaded_rows(db, batch_dir) -> dict[str, int]:
    """How many rows the batch checks read of each of the two largest tables (views loaded_*)."""
    from warehouse.checks import LOADED_LAST, _scope

    con = connect(db, read_only=True)
    try:
        _scope(con, batch_dir)
        return {t: con.execute(f"select count(*) from loaded_{t}").fetchone()[0] for t in LOADED_LAST}
    finally:
        con.close()


def test_a_batchs_checks_read_the_rows_its_load_appended_or_every_row_when_those_do_not_add_up(tmp_path):
    """The batch's mentions are the last rows of the table (a load appends its articles' rows): the checks
    read those, not every row. When the last rows do not hold exactly the batch's (a later load appended
    after them, a row added), they read every row, and still find what is wrong."""
    db = tmp_path / "w.duckdb"
    first, second = sample_batch(tmp_path), later_batch(tmp_path)
    load_batch(db, first)
    load_batch(db, second)
    assert loaded_rows(db, second)["mentions"] == 3  # of 6
    run_checks(db, second)
    assert loaded_rows(db, first)["mentions"] == 6  # a load appended after it: every row
    run_checks(db, first)
    con = connect(db)
    con.execute("insert into mentions select * from mentions where article_id = 'a3' limit 1")
    con.close()
    assert loaded_rows(db, second)["mentions"] == 7
    with pytest.raises(DataCheckFailed, match="mentions_unique"):
        run_checks(db, second)


def batch_rows(db, batch_dir) -> tuple[list, list, bool]:
    """The batch's article ids and URLs as the checks find them, and whether they were found at the end of
    their tables (True) or by looking their keys up."""
    from warehouse.checks import _scope

    con = connect(db, read_only=True)
    try:
        _scope(con, batch_dir)
        looked_up = con.execute("select count(*) from duckdb_tables() where table_name like 'batch_%_rows'")
        at_end = looked_up.fetchone()[0] == 0
        return (sorted(r[0] for r in con.execute("select article_id from batch_articles").fetchall()),
                sorted(r[0] for r in con.execute("select url from batch_urls").fetchall()), at_end)
    finally:
        con.close()


def test_a_batchs_checks_find_its_articles_and_urls_at_the_end_of_their_tables(tmp_path):
    """A load leaves the batch's articles and URLs as the last rows of their tables, the stored ones it
    updated too (an article's update moves it; a stored URL is replaced): the checks read them there. For an
    earlier batch they look the keys up, and find the same rows."""
    db = tmp_path / "w.duckdb"
    first = sample_batch(tmp_path, "b1")
    load_batch(db, first)
    load_batch(db, later_batch(tmp_path))
    assert batch_rows(db, first) == (["a1", "a2"], ["http://n.example/a1"], False)
    run_checks(db, first)
    again = sample_batch(tmp_path, "b3", state="unchanged", checked=datetime(2022, 6, 20))  # a1, a2 revisited
    write_table(again, "urls", [{"url": "http://n.example/a1", "state": "unchanged", "article_id": "a1",
                                 "relation": "seed", "first_seen_at": datetime(2022, 6, 20),
                                 "last_checked_at": datetime(2022, 6, 20), "run_id": "b3", "fetches": 1},
                                {"url": "http://n.example/new", "state": "queued", "relation": "linked", "run_id": "b3",
                                 "first_seen_at": datetime(2022, 6, 20)}])
    load_batch(db, again)
    assert batch_rows(db, again) == (["a1", "a2"], ["http://n.example/a1", "http://n.example/new"], True)
    run_checks(db, again)
    urls = read_rows(db, "select url, first_seen_at from urls order by rowid")
    assert urls[-2:] == [("http://n.example/a1", T0), ("http://n.example/new", datetime(2022, 6, 20))]
    ids = [r[0] for r in read_rows(db, "select article_id from articles order by rowid")]
    assert ids == ["a3", "a4", "a1", "a2"]
    con = connect(db)  # a row changed since the load: the checks look the keys up, and still find them
    con.execute("insert into urls (url, state, relation, run_id, first_seen_at) "
                "values ('http://n.example/x', 'queued', 'linked', 'x', timestamp '2022-06-21')")
    con.close()
    assert batch_rows(db, again) == (["a1", "a2"], ["http://n.example/a1", "http://n.example/new"], False)


def test_trends_filters_and_marts(tmp_path):
    db = tmp_path / "w.duckdb"
    load_batch(db, sample_batch(tmp_path))
    with pytest.raises(FileNotFoundError, match=r"load\(s\), the last by run manual .* have no readers' snapshot"):
        daily_mentions(db)  # loaded but not yet published: readers see nothing unchecked
    publish(db)
    totals_by_load = table_rows(db, "entity_totals")
    cols, rows = daily_mentions(db)
    assert cols == ["day", "name", "type", "mentions", "articles", "salience"]
    assert [(str(r[0]), r[1], r[3]) for r in rows] == [
        ("2022-06-15", "Xi Jinping", 1), ("2022-06-14", "Vladimir Putin", 1), ("2022-06-14", "Xi Jinping", 1)]
    _, only_xi = daily_mentions(db, entity="xi jinping")
    assert {r[1] for r in only_xi} == {"Xi Jinping"} and len(only_xi) == 2
    _, last_day = daily_mentions(db, days=1)
    assert {str(r[0]) for r in last_day} == {"2022-06-15"}
    assert refresh_marts(db) == {"entity_daily_mart": 3, "entity_totals": 2, "entity_pairs_mart": 0}
    assert sorted(table_rows(db, "entity_totals")) == sorted(totals_by_load)  # the load's refresh = a rebuild
    totals = {r[1]: (r[3], r[4]) for r in table_rows(db, "entity_totals")}
    assert totals == {"Xi Jinping": (2, 2), "Vladimir Putin": (1, 1)}
    # the mart the load refreshed day by day is the view, row for row: one definition (entity_daily_of)
    assert read_rows(db, "select count(*) from (select * from entity_daily except all select * from "
                         "entity_daily_mart union all (select * from entity_daily_mart except all "
                         "select * from entity_daily))") == [(0,)]
    load_batch(db, batch(tmp_path, "no-articles", [], [], [], []))  # touches no day: refreshes none, not all
    assert sorted(table_rows(db, "entity_daily_mart")) == sorted(read_rows(db, "select * from entity_daily"))
    refresh = (Path(warehouse.__file__).parent / "sql" / "refresh_days.sql").read_text(encoding="utf-8")
    assert "entity_daily_of(" in refresh and "count(*) as mentions" not in refresh


def test_read_only_open_of_missing_warehouse_is_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match="newsmon run"):
        connect(tmp_path / "absent.duckdb", read_only=True)


def test_upgrade_from_version_1_keeps_rows(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table schema_migrations (version integer primary key, name varchar not null, "
                "applied_at timestamp not null)")
    version, name, sql = migrations()[0]
    con.execute(sql)
    con.execute("insert into schema_migrations values (?, ?, now()::timestamp)", [version, name])
    con.execute("insert into entities values ('e1', 'China', 'GPE', now()::timestamp)")
    con.close()
    con = connect(db)
    try:
        assert con.execute("select max(version) from schema_migrations").fetchone()[0] == migrations()[-1][0]
        assert con.execute("select name, country_code from entities").fetchall() == [("China", None)]
        assert con.execute("select count(*) from entity_aliases").fetchone()[0] == 0
    finally:
        con.close()
    run_checks(db)


def test_upgrade_from_version_4_turns_the_ledger_into_the_frontier(tmp_path):
    db = tmp_path / "v4.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table schema_migrations (version integer primary key, name varchar not null, "
                "applied_at timestamp not null)")
    for version, name, sql in migrations()[:4]:
        con.execute(sql)
        con.execute("insert into schema_migrations values (?, ?, now()::timestamp)", [version, name])
    con.execute("insert into articles by name select 'a1' as article_id, 'http://n.example/a1' as url, "
                "'http://n.example/a1' as canonical_url, 'T' as title, ['A'] as authors, ? as fetched_at, "
                "'Xi Jinping spoke.' as text, 3 as word_count, 'seed' as relation, repeat('f', 64) as raw_sha256",
                [T0])
    con.execute("insert into urls (url, state, article_id, relation, first_seen_at, last_checked_at, run_id) values "
                "('http://n.example/a1', 'stored', 'a1', 'seed', ?, ?, 'r1'), "
                "('http://n.example/cut', 'skipped', null, 'linked', ?, ?, 'r1')", [T0, T0, T0, T0])
    con.close()
    con = connect(db)  # migrates to the latest version
    try:
        urls = {u: rest for u, *rest in con.execute(
            "select url, state, last_checked_at, last_changed_at, fetches, next_due_at from urls").fetchall()}
        arts = con.execute("select content_hash = md5(text), version, removed_at from articles").fetchall()
    finally:
        con.close()
    assert urls["http://n.example/cut"] == ["queued", None, None, 0, None]  # cut by the budget: first next time
    assert urls["http://n.example/a1"] == ["stored", T0, T0, 1, None]
    assert arts == [(True, 1, None)]
    run_checks(db)


def test_batch_writer_refuses_unknown_columns_and_shares_the_article_record(tmp_path):
    from transform.records import StoredArticle
    from warehouse.batch import SCHEMAS

    assert SCHEMAS["articles"].names == [name for name, _ in StoredArticle.columns()]
    assert "description" not in SCHEMAS["articles"].names
    with pytest.raises(ValueError, match=r"articles: no column for \['descripton'\]"):
        write_table(tmp_path, "articles", [{**article("a1", 14), "descripton": "a typo"}])
    row = StoredArticle(url="u", canonical_url="u", title="t", text="x", description="d", article_id="a").row()
    write_table(tmp_path, "articles", [row])


def test_referenced_raw_names_the_bodies_articles_and_the_frontier_keep(sample_db):
    from tests.conftest import read_rows
    from warehouse.frontier import referenced_raw

    (kept,), = read_rows(sample_db, "select raw_sha256 from articles limit 1")
    (feed,), = read_rows(sample_db, "select raw_sha256 from urls where is_feed and state = 'feed'")
    assert referenced_raw(sample_db, [kept, feed, "0" * 63 + "1"]) == {kept, feed}
