"""Migrations: warehouses built from every migration set the repository ever shipped upgrade and work;
a shipped migration that changed after a warehouse applied it is refused."""

from __future__ import annotations

import tomllib
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES, read_rows
from tests.warehouse.test_warehouse import sample_batch
from warehouse.checks import run_checks
from warehouse.db import MIGRATIONS, MigrationChanged, connect, migrations, publish
from warehouse.load import load_batch
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
    """A warehouse as the code of that commit left it (schema_migrations without checksums)."""
    con = duckdb.connect(str(db))
    con.execute("create table schema_migrations (version integer primary key, name varchar not null, "
                "applied_at timestamp not null)")
    for ref in refs:
        version, name, sql = migration_sql(ref)
        con.execute(sql)
        con.execute("insert into schema_migrations values (?, ?, now()::timestamp)", [version, name])
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
