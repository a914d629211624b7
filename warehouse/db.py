"""Open the DuckDB warehouse and apply pending schema migrations, in order, each in a transaction."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import struct
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

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


def setting(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """The value of `key` in warehouse_settings, or None when it has no row."""
    row = con.execute("select value from warehouse_settings where key = ?", [key]).fetchone()
    return row[0] if row else None


def set_setting(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("insert or replace into warehouse_settings values (?, ?)", [key, value])


class MigrationChanged(RuntimeError):
    """A migration file differs from the one this warehouse applied: migrations are immutable."""


def checksum(sql: str) -> str:
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()


@contextmanager
def _without_progress_bar(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB's progress bar off, then as it was: migrations are logged one by one instead (on a terminal the
    bar drew over the CLI's own progress)."""
    bar = one(con, "select current_setting('enable_progress_bar')")[0]
    con.execute("set enable_progress_bar = false")
    try:
        yield
    finally:
        con.execute(f"set enable_progress_bar = {'true' if bar else 'false'}")


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
    pending = [(version, name, sql) for version, name, sql in migrations() if version not in done]
    with _without_progress_bar(con) if pending else nullcontext():  # nothing to run: no setting touched
        for version, name, sql in pending:
            started = time.perf_counter()
            con.execute("begin transaction")
            try:
                con.execute(sql)
                con.execute("insert into schema_migrations values (?, ?, cast(now() at time zone 'UTC' as timestamp), "
                            "?)", [version, name, checksum(sql)])
                con.execute("commit")
            except Exception as exc:
                rollback(con, exc)
                raise
            applied.append(version)
            if done:  # an existing warehouse upgraded (a new one is created silently)
                log.info("warehouse migrated to version %d (%s) in %.1f s", version, name,
                         time.perf_counter() - started)
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


class Laps:
    """Seconds between successive calls, summed per name: `laps("upsert")` ends the step begun by the
    previous call (or by the creation)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self._last
        self._last = now


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
    """Where readers find the published read-only copy of the warehouse: <name>.snapshot.duckdb (a symbolic
    link to the current generation, see publish_snapshot)."""
    path = Path(path)
    return path.with_name(f"{path.stem}.snapshot{path.suffix}")


def generation_path(path: str | Path, generation: int) -> Path:
    """Generation 0 or 1 of the readers' snapshot: .<name>.snapshot.<generation>.duckdb beside the warehouse."""
    path = Path(path)
    return path.with_name(f".{path.stem}.snapshot.{generation}{path.suffix}")


DEFAULT_SNAPSHOT_MODE = 0o640  # owner reads and writes, the group reads: a BI service in the group can open it
HEADER_BYTES = 3 * 4096  # a DuckDB file: its main header and two database headers, then blocks
CHECKSUM_BYTES = 8  # each block starts with the checksum of its contents


@dataclass(frozen=True)
class Publication:
    """What a publish did: the snapshot path readers open, the file it now points at, and the bytes written
    to bring that file up to date (the changed blocks, or the whole file when it was copied)."""

    path: Path
    generation: Path
    bytes_written: int
    copied_whole: bool


class _InUse(Exception):
    """A reader still has the generation open (it holds DuckDB's lock on the file)."""


COMPARE_THREADS = 16  # checksum reads in flight at once (62,000 blocks of a cold file: 16 threads 0.67 s, 64 1.1 s)


def sums_path(generation: Path) -> Path:
    """The block checksums a generation of the readers' copy holds, written by the publish that patched it:
    .<name>.snapshot.<generation>.duckdb.sums beside it."""
    return generation.with_name(generation.name + ".sums")


_SUMS_HEAD = struct.Struct("<8sQQQ")  # magic, block size, and the size and mtime (ns) of the file they describe
_SUMS_MAGIC = b"nmsums01"


def _known_sums(dst: Path, block: int) -> np.ndarray | None:
    """The checksums of `dst`'s blocks as its last patch left them (sums_path), or None: no such file, or one
    that does not describe `dst` as it is now (another block size; its size or modification time moved since,
    so something else wrote it)."""
    try:
        data = sums_path(dst).read_bytes()
        stat = dst.stat()
    except OSError:
        return None
    if len(data) < _SUMS_HEAD.size:
        return None
    magic, size, length, mtime = _SUMS_HEAD.unpack_from(data)
    known = np.frombuffer(data, dtype="<u8", offset=_SUMS_HEAD.size)
    if (magic, size, length, mtime) != (_SUMS_MAGIC, block, stat.st_size, stat.st_mtime_ns) \
            or len(known) != (length - HEADER_BYTES) // block:
        return None
    return known


def _write_sums(dst: Path, block: int, sums: np.ndarray) -> None:
    """Record `sums` as `dst`'s block checksums (atomically: a new file moved over the old)."""
    stat = dst.stat()
    tmp = sums_path(dst).with_name(sums_path(dst).name + ".tmp")
    tmp.write_bytes(_SUMS_HEAD.pack(_SUMS_MAGIC, block, stat.st_size, stat.st_mtime_ns) + sums.tobytes())
    os.replace(tmp, sums_path(dst))


def _block_sums(fd: int, size: int, block: int) -> np.ndarray:
    """The checksum at the head of each whole block of the file (`size` bytes) open as `fd`, read from
    COMPARE_THREADS threads at once (pread releases the GIL, and a cold disk answers reads in parallel), the
    kernel told the reads are random (no read-ahead: 8 bytes are wanted of each 256 KiB). Not through a
    memory map: Linux maps the cached pages around each one touched, and the process's resident size grew by
    4 GB for a 16 GB file."""
    blocks = max(0, (size - HEADER_BYTES) // block)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
    stride = COMPARE_THREADS * 4
    parts = [range(i, blocks, stride) for i in range(stride)]

    def read(part: range) -> bytes:
        return b"".join(os.pread(fd, CHECKSUM_BYTES, HEADER_BYTES + i * block) for i in part)

    sums = np.empty(blocks, dtype="<u8")
    with ThreadPoolExecutor(COMPARE_THREADS) as pool:
        for part, heads in zip(parts, pool.map(read, parts), strict=True):
            sums[part.start::stride] = np.frombuffer(heads, dtype="<u8")
    return sums


def _changed_blocks(src: Path, dst: Path, block: int) -> int:
    """Make `dst` byte for byte `src`, rewriting only the blocks whose checksums differ, under an exclusive
    lock (raises _InUse while a reader holds the file). Returns the bytes written.

    Comparing reads the checksum at the head of each block of `src`, and of `dst` unless the publish that
    last patched it left them beside it (sums_path): at ten million articles 62,000 blocks a file, more than
    the page cache keeps, so most reads go to the disk (_block_sums reads them in parallel)."""
    size = src.stat().st_size
    written = 0
    with open(src, "rb") as s, open(dst, "r+b") as d:
        try:
            fcntl.lockf(d, fcntl.LOCK_EX | fcntl.LOCK_NB)  # DuckDB's readers hold a shared lock while open
        except OSError as exc:
            raise _InUse(str(dst)) from exc
        known = _known_sums(dst, block)
        sums_path(dst).unlink(missing_ok=True)  # from here on they describe the file no more
        sfd, dfd = s.fileno(), d.fileno()
        old_size = os.fstat(dfd).st_size
        new = _block_sums(sfd, size, block)
        old = known if known is not None else _block_sums(dfd, old_size, block)
        stale = np.ones(len(new), dtype=bool)  # blocks past the old end are written whatever they hold
        common = min(len(new), len(old))
        stale[:common] = new[:common] != old[:common]
        for index in np.flatnonzero(stale).tolist():
            offset = HEADER_BYTES + index * block
            data = os.pread(sfd, block, offset)
            os.pwrite(dfd, data, offset)
            written += len(data)
        os.pwrite(dfd, os.pread(sfd, HEADER_BYTES, 0), 0)  # last: the headers point at the blocks just written
        os.ftruncate(dfd, size)
        os.fsync(dfd)
    _write_sums(dst, block, new)
    return written + HEADER_BYTES


def _copy_whole(src: Path, dst: Path, mode: int) -> int:
    """Copy `src` to a new file that replaces `dst` atomically (a reader of the old file keeps it)."""
    fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f"{dst.name}.", suffix=".tmp")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return src.stat().st_size


def _point(link: Path, target: Path) -> None:
    """Make `link` a symbolic link to `target` (same folder), atomically (it may be a plain file before)."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.link")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target.name, tmp)
    os.replace(tmp, link)


def publish_snapshot(con: duckdb.DuckDBPyConnection, path: str | Path, run_id: str | None = None,
                     mode: int = DEFAULT_SNAPSHOT_MODE) -> Publication:
    """Log the publication, checkpoint and close the writer's connection, then publish the file to readers.

    Two generations of the readers' copy are kept (generation_path); <name>.snapshot.duckdb is a symbolic
    link to the current one. A publish brings the other generation up to date and then moves the link, so
    readers see the new data all at once, and a reader with the current one open keeps a consistent view.
    Bringing it up to date writes only the blocks whose checksums differ from the warehouse's (a cycle
    changes about 1% of a million-article file), unless a reader still has that generation open, it is
    missing, or an earlier publish of it was interrupted: then it is replaced by a whole copy, as a new file
    (a reader with the old one open keeps it). Permissions: `mode`."""
    path = Path(path)
    con.execute("insert into publications select cast(now() at time zone 'UTC' as timestamp), ?, count(*) "
                "from articles", [run_id])
    block = one(con, "select block_size from pragma_database_size() where database_name = current_database()")[0]
    con.execute("checkpoint")
    con.close()
    link = snapshot_path(path)
    current = Path(os.readlink(link)).name if link.is_symlink() else None
    target = generation_path(path, 1 if current == generation_path(path, 0).name else 0)
    partial = target.with_name(target.name + ".partial")  # there while a patch is under way
    size = path.stat().st_size
    whole = not target.exists() or partial.exists() or (size - HEADER_BYTES) % block != 0
    written = 0
    if not whole:
        partial.touch()
        try:
            written = _changed_blocks(path, target, block)
            os.chmod(target, mode)
        except _InUse:
            whole = True
        partial.unlink()
    if whole:
        sums_path(target).unlink(missing_ok=True)  # the next patch of it reads its checksums
        written = _copy_whole(path, target, mode)
        partial.unlink(missing_ok=True)
    _point(link, target)
    log.info("published %s: %s written to %s (%s)", link.name, f"{written / 1e6:,.1f} MB", target.name,
             "a whole copy" if whole else f"changed blocks of {size / 1e6:,.0f} MB")
    return Publication(link, target, written, whole)


@contextmanager
def writer(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The single writer's connection, closed on exit. Readers see the change once it is published."""
    con = connect(path)
    try:
        yield con
    finally:
        con.close()


def publish(path: str | Path, run_id: str | None = None, mode: int = DEFAULT_SNAPSHOT_MODE) -> Publication:
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
