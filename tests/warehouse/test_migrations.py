"""Migrations: warehouses built from every migration set the repository ever shipped upgrade and work;
a shipped migration that changed after a warehouse applied it is refused."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from newsmon.stage import load_batch
from tests.conftest import FIXTURES, read_rows
from tests.warehouse.test_warehouse import article, sample_batch
from tests.warehouse.undo import KEYED_BEFORE_0016, undo_0014, undo_0016, undo_0022
from warehouse.batch import write_table
from warehouse.checks import DataCheckFailed, load_checks, run_checks
from warehouse.db import MIGRATIONS, MigrationChanged, connect, migrations, publish
from warehouse.trends import cooccurring, rising

HISTORY = FIXTURES / "migration_history"
SETS = tomllib.loads((HISTORY / "sets.toml").read_text(encoding="utf-8"))["set"]


def migration_sql(ref: str) -> tuple[int, str, str]:
    """(version, name, sql) of "0003" (as shipped) or "0003@743690db" (an earlier edit, from history)."""
    version, _, variant = ref.partition("@")
    shipped = next(f for f in MIGRATIONS.iterdir() if f.name.startswith(version + "_"))
    path = HISTORY / f"{shipped.name.removesuffix('.sql')}.{variant}.sql" if variant else shipped
    return int(version), shipped.name, Path(str(path)).read_text(encoding="utf-8")


def build(db: Path, refs: list[str]) -> None:
    """A warehouse as the code of that commit left it, with no checksums recorded (migration 0008 comments on
    the checksum column, so it is there; the upgrade fills in the shipped checksums)."""
    con = duckdb.connect(str(db))
    con.execute("create table schema_migrations (version integer primary key, name varchar not null, "
                "applied_at timestamp not null, checksum varchar)")
    for ref in refs:
        version, name, sql = migration_sql(ref)
        con.execute(sql)
        con.execute("insert into schema_migrations values (?, ?, now()::timestamp, null)", [version, name])
    con.close()


@pytest.mark.parametrize("old", SETS, ids=[s["commit"] for s in SETS])
def test_a_warehouse_from_every_earlier_migration_set_upgrades_and_works(tmp_path, old):
    db = tmp_path / "old.duckdb"
    build(db, old["files"])
    load_batch(db, sample_batch(tmp_path))  # opens read-write: migrates to the latest version first
    publish(db)
    run_checks(db)
    versions = read_rows(db, "select version, checksum is not null from schema_migrations order by 1")
    assert versions == [(v, True) for v, _, _ in migrations()]
    assert read_rows(db, "select count(*) from entity_daily_mart")[0][0] == 3
    assert "z" in rising(db, 7, 28, 1)[0]  # the macros of the latest 0003 exist, with their parameters
    assert "pmi" in cooccurring(db, "Xi Jinping", since=None)[0]


def test_a_changed_migration_is_refused_with_a_clear_message(tmp_path):
    db = tmp_path / "w.duckdb"
    connect(db).close()
    con = duckdb.connect(str(db))
    con.execute("update schema_migrations set checksum = 'f00d' || checksum where version = 3")
    con.close()
    with pytest.raises(MigrationChanged, match=r"migration 0003_trend_analytics\.sql differs from the one this "
                                               r"warehouse applied.*put the change in a new migration"):
        connect(db)


def test_a_warehouse_with_articles_upgrades_to_0007_and_keeps_counting_them(tmp_path):
    """Articles stored before near-duplicates and stories existed count as representatives, keep their mart
    rows, and pass the checks (they get a signature and a story when they are stored again)."""
    db = tmp_path / "v6.duckdb"
    build(db, ["0001", "0002", "0003", "0004", "0005", "0006"])
    con = duckdb.connect(str(db))
    con.execute("""insert into articles (article_id, url, canonical_url, title, authors, fetched_at, text, word_count,
                   relation, raw_sha256, content_hash, version) values
                   ('a1', 'http://n.example/a1', 'http://n.example/a1', 'T', [], timestamp '2022-06-15 09:00',
                    'Xi Jinping spoke.', 3, 'seed', 'sha', md5('Xi Jinping spoke.'), 1)""")
    con.execute("insert into entities values ('e1', 'Xi Jinping', 'PERSON', timestamp '2022-06-15 09:00', null, null)")
    con.execute("insert into mentions values ('a1', 'e1', 'Xi Jinping', 0, 10, 'PERSON')")
    con.execute("insert into entity_daily_mart select * from entity_daily")
    con.close()
    connect(db).close()  # migrates
    assert read_rows(db, "select duplicate_of, story_id from articles") == [(None, None)]
    assert read_rows(db, "select day, name, articles from entity_daily_mart") == \
        [(date(2022, 6, 15), "Xi Jinping", 1)]
    assert read_rows(db, "select count(*) from stories") == [(0,)]
    run_checks(db)


def test_a_version_13_warehouse_keeps_its_mentions_without_their_key_index(tmp_path):
    """Migration 0014 rebuilds mentions and article_entities without primary keys: same rows (in their
    articles' time order since 0017), no constraint left, and the keys are then a data check."""
    db = tmp_path / "v13.duckdb"
    connect(db).close()
    con = duckdb.connect(str(db))
    undo_0014(con)
    assert ("mentions",) in con.execute("select table_name from duckdb_constraints() "
                                        "where constraint_type = 'PRIMARY KEY'").fetchall()
    con.execute("insert into mentions select 'a' || (i // 3), 'e' || (i % 7), 'X', (i % 3) * 10, (i % 3) * 10 + 1, "
                "'PERSON' from range(300) t(i)")
    con.execute("insert into article_entities select 'a' || (i // 3), 'e' || i, 1, 0, false, 0.5 "
                "from range(300) t(i)")
    before = con.execute("select * from mentions").fetchall(), con.execute("select * from article_entities").fetchall()
    con.close()
    connect(db).close()  # migrates
    after = (read_rows(db, "select * exclude (article_at) from mentions"),
             read_rows(db, "select * exclude (article_at) from article_entities"))
    assert tuple(sorted(rows) for rows in after) == tuple(sorted(rows) for rows in before)  # 0017 sorts them by time
    keys = read_rows(db, "select table_name from duckdb_constraints() where constraint_type = 'PRIMARY KEY'")
    assert {"mentions", "article_entities"}.isdisjoint(t for (t,) in keys) and ("entities",) in keys
    assert "mentions_unique" in {name for name, _ in load_checks()}


def test_a_version_15_warehouse_keeps_its_articles_urls_signatures_and_stories_without_their_key_indexes(tmp_path):
    """Migration 0016 rebuilds the four tables keyed by hashes or URLs without primary keys: same rows in the
    same order, columns still not null, comments kept; loads still upsert (a changed article gets version 2)
    and a second row for a key is then a data check's failure."""
    db = tmp_path / "v15.duckdb"
    signatures = [{"article_id": a, "keywords": ["jinping", "putin", word]}
                  for a, word in (("a1", "met"), ("a2", "spoke"))]
    first = sample_batch(tmp_path)
    write_table(first, "article_signatures", signatures)
    load_batch(db, first)
    con = duckdb.connect(str(db))
    undo_0016(con)
    assert {t for (t,) in con.execute("select table_name from duckdb_constraints() "
                                      "where constraint_type = 'PRIMARY KEY'").fetchall()} >= set(KEYED_BEFORE_0016)
    before = {t: con.execute(f"select * from {t}").fetchall() for t in KEYED_BEFORE_0016}
    assert all(before.values())
    con.close()
    connect(db).close()  # migrates
    since_0022 = "columns(lambda c: c not in ('article_key', 'url_key'))"  # the numeric lookup keys came later
    assert {t: read_rows(db, f"select {since_0022} from {t}") for t in KEYED_BEFORE_0016} == before
    keys = {t for (t,) in read_rows(db, "select table_name from duckdb_constraints() "
                                        "where constraint_type = 'PRIMARY KEY'")}
    assert keys.isdisjoint(KEYED_BEFORE_0016) and "entities" in keys
    assert read_rows(db, "select count(*) from duckdb_columns() where table_name in "
                     "('articles', 'urls', 'article_signatures', 'stories') and comment is null") == [(0,)]
    assert read_rows(db, "select is_nullable from duckdb_columns() "
                     "where table_name = 'articles' and column_name = 'article_id'") == [(False,)]
    changed = sample_batch(tmp_path, "b2", checked=datetime(2022, 6, 16, 9))
    text = "Xi Jinping met Vladimir Putin. They spoke again."
    write_table(changed, "articles", [article("a1", 14, text), article("a2", 15, text)])
    write_table(changed, "article_signatures", signatures)
    load_batch(db, changed)  # the same articles and URL again: upserted, not added
    assert read_rows(db, "select article_id, version from articles order by 1") == [("a1", 2), ("a2", 2)]
    assert read_rows(db, "select count(*), count(distinct url) from urls") == [(1, 1)]
    assert read_rows(db, "select count(*) from article_signatures") == [(2,)]
    con = duckdb.connect(str(db))
    for table in KEYED_BEFORE_0016:  # what the keys refused is now a check's failure
        con.execute(f"insert into {table} select * from {table} limit 1")
    con.close()
    with pytest.raises(DataCheckFailed) as failed:
        run_checks(db, changed)
    for check in ("articles_unique", "urls_unique", "article_signatures_unique", "stories_unique"):
        assert f"{check} (1 rows" in str(failed.value)


def test_a_version_21_warehouse_gets_the_numeric_keys_its_loads_find_rows_by(tmp_path, caplog):
    """Migration 0022 writes article_key and url_key for what is stored, so the next load of the same articles
    and URL updates them rather than storing them again. Each migration an upgrade applies is logged (DuckDB's
    progress bar is off while they run, and on again after)."""
    db = tmp_path / "v21.duckdb"
    first = sample_batch(tmp_path)
    load_batch(db, first)
    con = duckdb.connect(str(db))
    undo_0022(con)
    con.close()
    with caplog.at_level("INFO", logger="newsmon.warehouse"):
        con = connect(db)  # migrates
    assert con.execute("select current_setting('enable_progress_bar')").fetchall() == [(True,)]
    con.close()
    upgraded = [r.getMessage() for r in caplog.records if r.getMessage().startswith("warehouse migrated")]
    assert upgraded and upgraded[0].startswith("warehouse migrated to version 22 (0022_lookup_keys.sql) in ")
    assert read_rows(db, "select article_id, article_key = md5_number_lower(article_id) from articles "
                         "order by 1") == [("a1", True), ("a2", True)]
    assert read_rows(db, "select url_key = md5_number_lower(url) from urls") == [(True,)]
    load_batch(db, first)
    assert read_rows(db, "select count(*), count(distinct article_id) from articles") == [(2, 2)]
    assert read_rows(db, "select count(*) from urls") == [(1,)]
    run_checks(db)
