"""The staging batch the single writer loads: one Parquet file per table, with a fixed Arrow schema."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from upath import UPath

from core import storage
from transform.records import StoredArticle

TS = pa.timestamp("us")
_ARROW = {"str": pa.string(), "str | None": pa.string(), "datetime | None": TS, "int": pa.int32(),
          "int | None": pa.int32(), "float | None": pa.float64(), "list[str]": pa.list_(pa.string()),
          "date | None": pa.date32()}


def articles_schema() -> pa.Schema:
    """The `articles` batch schema, from the stored-article record's fields."""
    return pa.schema([(name, _ARROW[kind]) for name, kind in StoredArticle.columns()])


SCHEMAS: dict[str, pa.Schema] = {
    "articles": articles_schema(),
    "entities": pa.schema([("entity_id", pa.string()), ("name", pa.string()), ("type", pa.string()),
                           ("first_seen_at", TS), ("country_code", pa.string()), ("geonames_id", pa.int64())]),
    "entity_aliases": pa.schema([("entity_id", pa.string()), ("alias", pa.string()), ("name_form", pa.string()),
                                 ("first_seen_at", TS)]),
    "article_entities": pa.schema([("article_id", pa.string()), ("entity_id", pa.string()),
                                   ("mentions", pa.int32()), ("first_char", pa.int32()),
                                   ("in_headline", pa.bool_()), ("salience", pa.float64())]),
    "mentions": pa.schema([("article_id", pa.string()), ("entity_id", pa.string()), ("surface", pa.string()),
                           ("start_char", pa.int32()), ("end_char", pa.int32()), ("label", pa.string())]),
    "urls": pa.schema([
        ("url", pa.string()), ("state", pa.string()), ("detail", pa.string()), ("http_status", pa.int32()),
        ("final_url", pa.string()), ("article_id", pa.string()), ("relation", pa.string()),
        ("hops", pa.int32()), ("discovered_from", pa.string()), ("first_seen_at", TS),
        ("last_checked_at", TS), ("run_id", pa.string()), ("etag", pa.string()), ("last_modified", pa.string()),
        ("raw_sha256", pa.string()), ("content_type", pa.string()), ("last_changed_at", TS),
        ("next_due_at", TS), ("fetches", pa.int32()), ("is_feed", pa.bool_()),
        ("search_provider", pa.string()), ("search_query", pa.string()),
    ]),
    "article_signatures": pa.schema([("article_id", pa.string()), ("minhash", pa.binary()),
                                     ("keywords", pa.list_(pa.string()))]),
    "searches": pa.schema([("run_id", pa.string()), ("provider", pa.string()), ("endpoint", pa.string()),
                           ("query", pa.string()), ("requested_at", TS), ("state", pa.string()),
                           ("http_status", pa.int32()), ("results", pa.int32()), ("detail", pa.string())]),
}


def write_table(folder: Path, name: str, rows: list[dict]) -> Path:
    """Write rows (dicts keyed by column; a missing key is null) as folder/name.parquet with the table's
    schema, then seal the folder as a whole batch (tables not written yet are empty). A key the table
    has no column for is an error, never silently dropped. For small batches; a run streams with
    BatchWriter."""
    folder.mkdir(parents=True, exist_ok=True)
    schema = SCHEMAS[name]
    unknown = {k for r in rows for k in r} - set(schema.names)
    if unknown:
        raise ValueError(f"{name}: no column for {sorted(unknown)}")
    table = pa.Table.from_pylist([{k: r.get(k) for k in schema.names} for r in rows], schema=schema)
    path = folder / f"{name}.parquet"
    pq.write_table(table, path)
    seal(folder)
    return path


def seal(folder: Path) -> Path:
    """Make a local folder of table files a batch: an empty file for every table not written, then the
    manifest (each file's size, sha256 and rows). The load takes nothing the manifest does not list."""
    for name, schema in SCHEMAS.items():
        if not (folder / f"{name}.parquet").exists():
            pq.write_table(schema.empty_table(), folder / f"{name}.parquet")
    rows = {f"{name}.parquet": pq.ParquetFile(folder / f"{name}.parquet").metadata.num_rows for name in SCHEMAS}
    storage.finish_folder(folder, UPath(folder), rows)
    return folder


class IncompleteBatch(storage.IncompleteFolder):
    """A batch that lacks a table, or whose table holds other rows than its manifest says."""


def verified_tables(local: Path, tables: Iterable[str] = SCHEMAS) -> dict[str, str]:
    """Each table's file in a batch folder whose files local_folder has checked, after checking that the
    manifest lists every table (or each of `tables`) and each file's row count is the manifest's."""
    listed = storage.read_manifest(UPath(local))
    files = {}
    for name in tables:
        entry = listed.get(f"{name}.parquet")
        if entry is None:
            raise IncompleteBatch(f"{local / name}.parquet is not in the batch's manifest: the batch is incomplete")
        rows = pq.ParquetFile(local / f"{name}.parquet").metadata.num_rows
        if "rows" in entry and rows != entry["rows"]:
            raise IncompleteBatch(f"{local / name}.parquet holds {rows} rows, not the {entry['rows']} its manifest "
                                  "gives")
        files[name] = str(local / f"{name}.parquet")
    return files


def read_table(folder: str | os.PathLike[str], name: str) -> list[dict]:
    """Rows of folder/name.parquet as dicts (empty when the file is absent); the folder may be a URL."""
    path = storage.at(folder) / f"{name}.parquet"
    if not path.exists():
        return []
    with path.open("rb") as fh:
        return pq.read_table(fh).to_pylist()


class BatchWriter:
    """A staging batch written table by table in chunks of rows, so memory does not grow with the run.
    After close() every table has its file (an empty table when no row came) and the folder its manifest,
    written last. A batch bound for an object store is written locally, then uploaded on close()."""

    def __init__(self, folder: storage.Location, chunk_rows: int = 5000, chunk_chars: int = 4_000_000):
        self.target = storage.at(folder)
        self._tmp = None if storage.is_local(self.target) else tempfile.TemporaryDirectory(prefix="newsmon-batch-")
        self.folder = Path(self._tmp.name) if self._tmp else Path(str(self.target))
        self.chunk_rows, self.chunk_chars = chunk_rows, chunk_chars
        self.folder.mkdir(parents=True, exist_ok=True)
        self._rows: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
        self._chars = dict.fromkeys(SCHEMAS, 0)
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.counts = dict.fromkeys(SCHEMAS, 0)

    def add(self, name: str, row: dict) -> None:
        self._rows[name].append(row)
        self.counts[name] += 1
        self._chars[name] += sum(len(v) for v in row.values() if isinstance(v, str))
        if len(self._rows[name]) >= self.chunk_rows or self._chars[name] >= self.chunk_chars:
            self._flush(name)

    def _flush(self, name: str) -> None:
        schema = SCHEMAS[name]
        unknown = {k for r in self._rows[name] for k in r} - set(schema.names)
        if unknown:
            raise ValueError(f"{name}: no column for {sorted(unknown)}")
        if name not in self._writers:
            self._writers[name] = pq.ParquetWriter(self.folder / f"{name}.parquet", schema)
        rows = [{k: r.get(k) for k in schema.names} for r in self._rows[name]]
        self._writers[name].write_table(pa.Table.from_pylist(rows, schema=schema))
        self._rows[name], self._chars[name] = [], 0

    def close(self) -> UPath:
        for name in SCHEMAS:
            self._flush(name)
            self._writers.pop(name).close()
        try:
            storage.finish_folder(self.folder, self.target, {f"{n}.parquet": c for n, c in self.counts.items()})
        finally:
            if self._tmp is not None:
                self._tmp.cleanup()
        return self.target
