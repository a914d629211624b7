"""Open the DuckDB warehouse and apply pending schema migrations, in order, each in a transaction."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

MIGRATIONS = resources.files("warehouse") / "migrations"


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every shipped migration, by version."""
    out = []
    for f in MIGRATIONS.iterdir():
        if f.name.endswith(".sql"):
            version = int(f.name.split("_", 1)[0])
            out.append((version, f.name, f.read_text(encoding="utf-8")))
    return sorted(out)


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply migrations not yet recorded in schema_migrations; return the versions applied."""
    con.execute("create table if not exists schema_migrations "
                "(version integer primary key, name varchar not null, applied_at timestamp not null)")
    done = {v for (v,) in con.execute("select version from schema_migrations").fetchall()}
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        con.execute("begin transaction")
        try:
            con.execute(sql)
            con.execute("insert into schema_migrations values (?, ?, cast(now() at time zone 'UTC' as timestamp))",
                        [version, name])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(version)
    return applied


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse; a read-write one is migrated to the latest schema first."""
    path = Path(path)
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"no warehouse at {path}: run `newsmon run` first")
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    migrate(con)
    return con
