"""The single writer: bulk-load one staging batch (Parquet) into DuckDB in one transaction."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pyarrow.parquet as pq

from warehouse.batch import SCHEMAS, write_table
from warehouse.db import writer
from warehouse.trends import rebuild_marts

URL_UPDATE = ", ".join(f"{c} = excluded.{c}" for c in SCHEMAS["urls"].names if c not in ("url", "first_seen_at"))
ENTITY_UPDATE = ("country_code = coalesce(excluded.country_code, entities.country_code), "
                 "geonames_id = coalesce(excluded.geonames_id, entities.geonames_id)")
STATEMENTS = [
    ("articles", "insert or replace into articles by name select * from read_parquet(?)"),
    ("entities", f"insert into entities by name select * from read_parquet(?) on conflict (entity_id) "
                 f"do update set {ENTITY_UPDATE}"),
    ("entity_aliases", "insert into entity_aliases by name select * from read_parquet(?) on conflict do nothing"),
    ("articles", "delete from mentions where article_id in (select article_id from read_parquet(?))"),
    ("mentions", "insert into mentions by name select * from read_parquet(?)"),
    ("articles", "delete from article_entities where article_id in (select article_id from read_parquet(?))"),
    ("article_entities", "insert into article_entities by name select * from read_parquet(?)"),
    ("urls", f"insert into urls by name select * from read_parquet(?) on conflict (url) do update set {URL_UPDATE}"),
]
MERGE_SQL = resources.files("warehouse") / "sql" / "merge_aliases.sql"


def load_batch(db_path: str | Path, batch_dir: str | Path) -> dict[str, int]:
    """Upsert the batch by key (articles, entities, aliases, urls), replace its articles' mentions and
    salience rows, fold short-form people into their full names across articles and rebuild the trend
    marts, all in one transaction.

    Idempotent: loading the same batch twice leaves the same rows. The new state is published to
    readers (the snapshot) before this returns. Returns row counts in the batch."""
    batch = Path(batch_dir)
    for name in SCHEMAS:  # an absent table file is an empty table
        if not (batch / f"{name}.parquet").exists():
            write_table(batch, name, [])
    src = {name: str(batch / f"{name}.parquet") for name in SCHEMAS}
    counts = {name: pq.ParquetFile(path).metadata.num_rows for name, path in src.items()}
    with writer(db_path) as con:
        try:
            con.execute("begin transaction")
            for table, sql in STATEMENTS:
                con.execute(sql, [src[table]])
            con.execute(MERGE_SQL.read_text(encoding="utf-8"))
            rebuild_marts(con)
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    return counts
