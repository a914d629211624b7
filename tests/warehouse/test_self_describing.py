"""A warehouse that explains itself: comments everywhere, plain count types, one entity resolver, a
snapshot other users can read and that says when it was published."""

from __future__ import annotations

import re
import stat
from datetime import date, timedelta

import duckdb
import pytest

from warehouse.db import connect, publish, read_connection, snapshot_path
from warehouse.trends import UnknownEntity, cooccurring, daily_mentions, find_entity

OBJECTS_SQL = """
select 'table' as kind, table_name as name, comment from duckdb_tables()
where schema_name = 'main' and not temporary
union all
select 'view', view_name, comment from duckdb_views() where schema_name = 'main' and not internal and not temporary
union all
select distinct function_type, function_name, comment from duckdb_functions()
where schema_name = 'main' and not internal and function_type in ('macro', 'table_macro')"""

COLUMNS_SQL = """
select c.table_name, c.column_name, c.comment from duckdb_columns() as c
where c.schema_name = 'main' and not c.internal and c.table_name not like 'pg_%'
    and c.table_name in (select table_name from duckdb_tables() where schema_name = 'main' and not temporary
                         union all
                         select view_name from duckdb_views() where schema_name = 'main' and not internal)"""


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A new, empty warehouse at the latest schema."""
    db = tmp_path_factory.mktemp("fresh") / "w.duckdb"
    connect(db).close()
    return db


def test_every_table_view_macro_and_column_has_a_comment(fresh):
    con = duckdb.connect(str(fresh), read_only=True)
    try:
        objects = con.execute(OBJECTS_SQL).fetchall()
        columns = con.execute(COLUMNS_SQL).fetchall()
    finally:
        con.close()
    kinds = {kind for kind, _, _ in objects}
    assert {"table", "view", "table_macro", "macro"} <= kinds
    assert len(objects) >= 30 and len(columns) >= 200  # the catalogue was read, not an empty list
    missing = [f"{kind} {name}" for kind, name, comment in objects if not (comment or "").strip()]
    missing += [f"column {t}.{c}" for t, c, comment in columns if not (comment or "").strip()]
    assert not missing, "add COMMENT ON in the migration that creates them: " + ", ".join(missing)


def test_counts_are_bigint_in_every_table_view_and_macro(sample_db):
    with read_connection(sample_db) as con:
        wide = con.execute("select table_name, column_name from duckdb_columns() where schema_name = 'main' "
                           "and (data_type in ('HUGEINT', 'UHUGEINT') or data_type like 'DECIMAL%')").fetchall()
        for macro in ("rising_entities(min_articles := 1)", "cooccurrence('China')",
                      "entity_timeline('China')", "entity_matches('China')", "entity_suggestions('Chna')"):
            types = {r[0]: r[1] for r in con.execute(f"describe select * from {macro}").fetchall()}
            wide += [(macro, c) for c, t in types.items() if t in ("HUGEINT", "UHUGEINT") or t.startswith("DECIMAL")]
        frame = con.execute("select * from entity_daily_mart").df()
    assert not wide
    assert str(frame["mentions"].dtype) == "int64"  # pandas shows 5, not 5.0


@pytest.mark.parametrize("spelling", ["Xi Jinping", "xi jinping", "Xi", "xi", "Mr Xi", "PRESIDENT XI", "  Xi  "])
def test_any_spelling_of_an_entity_resolves_to_it(sample_db, spelling):
    found = find_entity(sample_db, spelling)
    assert (found.name, found.type) == ("Xi Jinping", "PERSON")


def test_an_unknown_name_is_an_error_with_close_spellings(sample_db):
    with pytest.raises(UnknownEntity, match=r"no entity named 'Tawian'; did you mean: Taiwan\?") as caught:
        find_entity(sample_db, "Tawian")
    assert caught.value.suggestions[0] == "Taiwan"
    with pytest.raises(UnknownEntity) as nothing_close:
        find_entity(sample_db, "Qwertyuiop")
    assert nothing_close.value.suggestions == [] and "did you mean" not in str(nothing_close.value)
    with read_connection(sample_db) as con:  # SQL users get the same message from the macros
        with pytest.raises(duckdb.InvalidInputException, match=r"no entity named 'Tawian'; did you mean: Taiwan"):
            con.execute("select * from cooccurrence('Tawian')").fetchall()
        part = con.execute("select name from entity_suggestions('jinping')").fetchall()
    assert part[0][0] == "Xi Jinping"


def test_cooccurrence_and_trends_take_an_alias(sample_db):
    by_alias = cooccurring(sample_db, "xi")
    assert by_alias == cooccurring(sample_db, "Xi Jinping") and by_alias[1]
    with read_connection(sample_db) as con:
        assert con.execute("select * from cooccurrence('Mr Xi')").fetchall() == by_alias[1]
    _, rows = daily_mentions(sample_db, entity="mr xi")
    assert rows and {r[1] for r in rows} == {"Xi Jinping"}


def test_entity_timeline_has_every_day_with_zeros(sample_db):
    with read_connection(sample_db) as con:
        rows = con.execute("select day, articles, day_articles, share from entity_timeline('taiwan', "
                           "start_day := '2022-06-01', end_day := '2022-06-20')").fetchall()
    days = [r[0] for r in rows]
    assert days == [date(2022, 6, 1) + timedelta(days=i) for i in range(20)]
    assert rows[0][1:] == (0, 0, 0.0)  # a day without articles is a zero, not a gap
    assert sum(r[1] for r in rows) >= 1
    assert all(0 <= r[3] <= 1 and (r[2] > 0 or r[3] == 0) for r in rows)


def test_article_list_says_who_published_and_why(sample_db):
    with read_connection(sample_db) as con:
        rows = con.execute("select relation, outlet, found_via, shared_with_seeds from article_list").fetchall()
    by_relation = {r[0]: r for r in rows}
    assert by_relation["seed"][2] == "seed" and by_relation["seed"][1] == "The Harbour Courier"
    linked = [r[2] for r in rows if r[0] == "linked"]
    assert linked and all(re.fullmatch(r"linked from http://127\.0\.0\.1:\d+/\S+ \((1 hop|[2-9] hops)\)", w)
                          for w in linked), linked
    assert "(1 hop)" in " ".join(linked)
    assert re.fullmatch(r"feed http://127\.0\.0\.1:\d+/feed\.xml", by_relation["feed"][2])
    assert "Xi Jinping" in by_relation["seed"][3]


def test_snapshot_is_group_readable_by_default_configurable_and_logged(tmp_path, sample_db):
    db = tmp_path / "w.duckdb"
    db.write_bytes(sample_db.read_bytes())
    publish(db, run_id="r1")
    assert stat.S_IMODE(snapshot_path(db).stat().st_mode) == 0o640
    publish(db, run_id="r2", mode=0o600)
    assert stat.S_IMODE(snapshot_path(db).stat().st_mode) == 0o600
    with read_connection(db) as con:
        runs = con.execute("select run_id, articles from publications order by published_at").fetchall()
    assert runs[-2:] == [("r1", runs[-1][1]), ("r2", runs[-1][1])] and runs[-1][1] >= 8
