"""Migrations undone on a warehouse the latest code wrote, to test an upgrade from an earlier version with
data the latest loads wrote."""

from __future__ import annotations

import duckdb


def undo_0013(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse as version 12 left it: without the co-occurrence marts and the story keys' entity ids."""
    con.execute("delete from schema_migrations where version >= 13")
    con.execute("drop table entity_pairs_mart")
    con.execute("drop table entity_salient_mart")
    for macro in ("cooccurrence_all", "entity_pairs_of", "entity_salient_of", "salient_entities_of"):
        con.execute(f"drop macro table {macro}")
    con.execute("alter table story_keys drop column entity_id")
    con.execute("alter table entity_totals drop column salient_articles")
    con.execute("delete from warehouse_settings where key = 'marts_sorted_before'")
