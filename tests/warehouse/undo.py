"""Migrations undone on a warehouse the latest code wrote, to test an upgrade from an earlier version with
data the latest loads wrote."""

from __future__ import annotations

import duckdb


def undo_0022(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse as version 21 left it: articles and urls without their numeric lookup keys."""
    con.execute("delete from schema_migrations where version >= 22")
    con.execute("alter table articles drop column article_key")
    con.execute("alter table urls drop column url_key")


def undo_0013(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse as version 12 left it: without the co-occurrence marts and the story keys' entity ids."""
    undo_0022(con)
    con.execute("delete from schema_migrations where version >= 13")
    con.execute("drop table entity_pairs_mart")
    con.execute("drop table entity_salient_mart")
    for macro in ("cooccurrence_all", "entity_pairs_of", "entity_salient_of", "salient_entities_of"):
        con.execute(f"drop macro table {macro}")
    con.execute("alter table story_keys drop column entity_id")
    con.execute("alter table entity_totals drop column salient_articles")
    con.execute("delete from warehouse_settings where key = 'marts_sorted_before'")


def undo_0014(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse as version 13 left it: mentions and article_entities with their primary keys (and without
    the article's time, migration 0017)."""
    undo_0022(con)
    con.execute("delete from schema_migrations where version >= 14")
    for table, key in (("mentions", "article_id, start_char"), ("article_entities", "article_id, entity_id")):
        con.execute(f"create table {table}_keyed as select * from {table} limit 0")
        con.execute(f"drop table {table}")
        ddl = ", ".join(f"{name} {kind} not null" for name, kind in
                        con.execute(f"select column_name, column_type from (describe {table}_keyed) "
                                    "where column_name <> 'article_at'").fetchall())
        con.execute(f"create table {table} ({ddl}, primary key ({key}))")
        con.execute(f"drop table {table}_keyed")


KEYED_BEFORE_0016 = {"articles": "article_id", "urls": "url", "article_signatures": "article_id",
                     "stories": "story_id"}


def undo_0016(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse as version 15 left it: articles, urls, article_signatures and stories with their primary
    keys (rows and their order kept)."""
    undo_0022(con)
    con.execute("delete from schema_migrations where version >= 16")
    for table, key in KEYED_BEFORE_0016.items():
        con.execute(f"create table {table}_unkeyed as select * from {table}")
        con.execute(f"drop table {table}")
        ddl = ", ".join(f"{name} {kind}" + (" primary key" if name == key else "") for name, kind in
                        con.execute(f"select column_name, column_type from (describe {table}_unkeyed)").fetchall())
        con.execute(f"create table {table} ({ddl})")
        con.execute(f"insert into {table} select * from {table}_unkeyed")
        con.execute(f"drop table {table}_unkeyed")
