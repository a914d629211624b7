"""Open the DuckDB warehouse and apply pending schema migrations, in order, each in a transaction."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

log = logging.getLogger("newsmon.warehouse")

MIGRATIONS = resources.files("warehouse") / "migrations"


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every shipped migration, by version."""
    out = []
    for f in MIGRATIONS.iterdir():
        if f.name.endswith(".sql"):
            version = int(f.name.split("_", 1)[0])
            out.append((version, f.name, f.read_text(encoding="utf-8")))
    return sorted(out)


def rollback(con: duckdb.DuckDBPyConnection, error: Exception) -> None:
    """Roll back after `error` without hiding it: a failed write or commit (a full disk, say) may leave
    no transaction to roll back, and that second error must not replace the first."""
    try:
        con.execute("rollback")
    except duckdb.Error as second:
        error.add_note(f"(then rollback: {second})")


class MigrationChanged(RuntimeError):
    """A migration file differs from the one this warehouse applied: migrations are immutable."""


def checksum(sql: str) -> str:
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply migrations not yet recorded in schema_migrations; return the versions applied.

    Each applied file's checksum is recorded; a shipped file that differs from the one a warehouse
    applied refuses to run (the change belongs in a new migration). Warehouses from before checksums
    were recorded get the shipped checksums (migration 0006 repairs the earlier edits of 0003)."""
    con.execute("create table if not exists schema_migrations "
                "(version integer primary key, name varchar not null, applied_at timestamp not null)")
    con.execute("alter table schema_migrations add column if not exists checksum varchar")
    shipped = {version: (name, checksum(sql)) for version, name, sql in migrations()}
    done = dict(con.execute("select version, checksum from schema_migrations").fetchall())
    for version, recorded in done.items():
        if recorded is not None and version in shipped and recorded != shipped[version][1]:
            raise MigrationChanged(
                f"migration {shipped[version][0]} differs from the one this warehouse applied (checksum "
                f"{recorded[:12]}, shipped {shipped[version][1][:12]}): migrations are immutable once "
                "released; put the change in a new migration")
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        con.execute("begin transaction")
        try:
            con.execute(sql)
            con.execute("insert into schema_migrations values (?, ?, cast(now() at time zone 'UTC' as timestamp), ?)",
                        [version, name, checksum(sql)])
            con.execute("commit")
        except Exception as exc:
            rollback(con, exc)
            raise
        applied.append(version)
    con.execute("update schema_migrations set checksum = s.checksum "
                "from (select unnest(?::integer[]) as version, unnest(?::varchar[]) as checksum) as s "
                "where schema_migrations.version = s.version and schema_migrations.checksum is null",
                [list(shipped), [c for _, c in shipped.values()]])
    return applied


def _retrying(open_: Callable[[], duckdb.DuckDBPyConnection], wait_s: float) -> duckdb.DuckDBPyConnection:
    """Open, retrying while another process holds the file's lock (DuckDB allows one writer)."""
    deadline = time.monotonic() + wait_s
    delay, said = 0.05, False
    while True:
        try:
            return open_()
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            if not said:  # never a silent wait
                log.warning("the warehouse is locked by another process (%s); waiting up to %.0f s",
                            textwrap.shorten(str(exc).splitlines()[0], 300, placeholder=" ..."), wait_s)
                said = True
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def one(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> tuple[Any, ...]:
    """The one row of an aggregate query (count, max: such a query always gives exactly one row)."""
    row = con.execute(sql, params).fetchone()
    if row is None:
        raise duckdb.InternalException(f"an aggregate query gave no row: {sql}")
    return row


def connect(path: str | Path, read_only: bool = False, wait_s: float = 120.0) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse file itself (the writer's side); a read-write one is migrated to the
    latest schema first. Readers should use `read_connection`, which never blocks the writer."""
    path = Path(path)
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"no warehouse at {path}: run `newsmon run` first")
        return _retrying(lambda: duckdb.connect(str(path), read_only=True), wait_s)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _retrying(lambda: duckdb.connect(str(path)), wait_s)
    migrate(con)
    return con


def snapshot_path(path: str | Path) -> Path:
    """Where readers find the published read-only copy of the warehouse: <name>.snapshot.duckdb."""
    path = Path(path)
    return path.with_name(f"{path.stem}.snapshot{path.suffix}")


DEFAULT_SNAPSHOT_MODE = 0o640  # owner reads and writes, the group reads: a BI service in the group can open it


def publish_snapshot(con: duckdb.DuckDBPyConnection, path: str | Path, run_id: str | None = None,
                     mode: int = DEFAULT_SNAPSHOT_MODE) -> Path:
    """Log the publication, checkpoint and close the writer's connection, then atomically replace the
    readers' snapshot with a copy of the file (permissions `mode`). Readers with the old snapshot open keep
    reading it; new ones see the new data (and its row in `publications`)."""
    path = Path(path)
    con.execute("insert into publications select cast(now() at time zone 'UTC' as timestamp), ?, count(*) "
                "from articles", [run_id])
    con.execute("checkpoint")
    con.close()
    target = snapshot_path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    os.close(fd)
    try:
        shutil.copyfile(path, tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


@contextmanager
def writer(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The single writer's connection, closed on exit. Readers see the change once it is published."""
    con = connect(path)
    try:
        yield con
    finally:
        con.close()


def publish(path: str | Path, run_id: str | None = None, mode: int = DEFAULT_SNAPSHOT_MODE) -> Path:
    """Publish the warehouse's committed state to readers (one snapshot per cycle, after its checks)."""
    return publish_snapshot(connect(path), path, run_id, mode)


def _why_unpublished(path: Path) -> str:
    """Why a warehouse has no readers' snapshot: no cycle got that far, or loads whose publish failed."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:  # a run holds it: say what is known
        return f"nothing published from {path} yet (a run is writing it now)"
    try:
        loads, last, run = one(con, "select count(*), max(loaded_at), arg_max(run_id, loaded_at) from load_log")
    except duckdb.Error:
        loads = 0
    finally:
        con.close()
    if not loads:
        return f"nothing published from {path} yet: no cycle has passed its data checks"
    return (f"nothing published from {path}: its {loads} load(s), the last by run {run} at {last:%Y-%m-%d %H:%M} "
            "UTC, have no readers' snapshot (their checks have not passed yet, the publish failed, or the snapshot "
            "was removed); the next `newsmon run` checks them and publishes")


@contextmanager
def read_connection(path: str | Path, wait_s: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the published snapshot (never to the file the writer holds), so
    dashboards and ad-hoc SQL keep working while loads run."""
    path = Path(path)
    snap = snapshot_path(path)
    if not snap.exists():
        if not path.exists():
            raise FileNotFoundError(f"no warehouse at {path}: run `newsmon run` first")
        raise FileNotFoundError(_why_unpublished(path))
    con = _retrying(lambda: duckdb.connect(str(snap), read_only=True), wait_s)
    try:
        yield con
    finally:
        con.close()


def damaged(exc: BaseException) -> bool:
    """Whether a DuckDB error says the database file is corrupt (a checksum that does not match, ...)."""
    text = str(exc)
    return isinstance(exc, duckdb.Error) and ("Corrupt database file" in text or "checksum" in text.lower())
