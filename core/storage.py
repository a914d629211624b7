"""`data_dir` as an fsspec URL: a local path (as before), `file://...`, `s3://bucket/prefix`, `gs://...`.

The raw store, the staging files of each run (shards, manifests, parsed records, the batch), the crawl
state between rounds (budget, URLs taken, robots answers, host clocks) all live under `data_dir`, and
tasks pass their locations as strings: a local path, or a URL any worker can open. Only the DuckDB file
stays local, on the machine of the warehouse queue's worker.

Paths are universal_pathlib `UPath`s (fsspec underneath; Airflow's ObjectStoragePath is built on the
same). Credentials never come from the TOML file: s3fs and gcsfs read the usual environment variables
(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_ENDPOINT_URL, GOOGLE_APPLICATION_CREDENTIALS), or the
Airflow connection named by NEWSMON_STORAGE_CONN_ID.

Writes are atomic the way each store allows: a local file is written beside its target and renamed over
it; an object is written with one PUT (or a multipart upload completed on close), which an object store
shows whole or not at all; renaming is never relied on there. A folder written as a unit (a run's batch)
gets its manifest last, and readers refuse a folder without it.

A folder only this process writes for a while (a run's staging, under the run lock, when `newsmon run`
runs a whole cycle in one process) can be held (`held`): what this process writes under it on an
object store is kept in memory too, and reading it back here costs no request. Processes that pass files
to each other (Airflow tasks) read them from the store, as before.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pathlib
import shutil
import tempfile
import threading
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import IO

from typing_extensions import TypeIs
from upath import UPath

# A location: a local path (pathlib, or UPath's local kind) or an object-store path.
AnyPath = UPath | pathlib.Path
# Where a task names a file: a path, a string path or an object-store URL.
Location = str | os.PathLike[str] | UPath

CONN_ENV = "NEWSMON_STORAGE_CONN_ID"
MANIFEST = "_manifest.json"
EXTRAS = {"s3": "s3", "s3a": "s3", "gs": "gcs", "gcs": "gcs"}
HELD_MAX_BYTES = 64 << 20  # of a held folder's files kept in memory; beyond it they are read from the store

_held: dict[str, dict[str, bytes]] = {}  # held folder's key + "/" -> {file key: bytes this process wrote}
_held_lock = threading.Lock()


class StorageError(OSError):
    """data_dir cannot be used: an unknown scheme, a missing optional package, or credentials in the URL."""


def protocol_of(url: str | os.PathLike[str] | UPath) -> str:
    text = str(url) if isinstance(url, UPath) else os.fspath(url)
    return text.split("://", 1)[0].lower() if "://" in text else "file"


def is_local(path: object) -> TypeIs[pathlib.Path]:
    """True for a path on this machine's file system (a plain pathlib.Path or a local UPath)."""
    return isinstance(path, pathlib.Path)


def check_url(url: str) -> None:
    """Refuse a data_dir URL that cannot work, with the reason (used when the config is read)."""
    protocol = protocol_of(url)
    if protocol in ("file", "local"):
        return
    netloc = url.split("://", 1)[1].split("/", 1)[0]
    if "@" in netloc:
        raise StorageError(f"data_dir {url.split('@')[-1]!r}: credentials do not belong in the URL or the "
                           f"TOML file; use the environment or the Airflow connection named by {CONN_ENV}")
    import fsspec

    try:
        fsspec.get_filesystem_class(protocol)
    except ValueError:
        raise StorageError(f"data_dir {url!r}: unknown storage scheme {protocol!r}") from None
    except ImportError:
        extra = EXTRAS.get(protocol, protocol)
        raise StorageError(f"data_dir {url!r}: the {protocol}:// scheme needs an optional package: "
                           f"pip install 'newsmon[{extra}]'") from None


def _connection_options(conn_id: str, protocol: str) -> dict:
    """Storage options from an Airflow connection: login / password as the key pair, extra as options."""
    from airflow.sdk import Connection

    conn = Connection.get(conn_id)
    extra = dict(conn.extra_dejson or {})
    if protocol in ("s3", "s3a"):
        if conn.login:
            extra.setdefault("key", conn.login)
        if conn.password:
            extra.setdefault("secret", conn.password)
        if conn.host and "endpoint_url" not in extra:
            extra["endpoint_url"] = conn.host if "://" in conn.host else f"http://{conn.host}:{conn.port or 80}"
    return extra


def storage_options(url: str) -> dict:
    """fsspec options for a URL: the Airflow connection's, if one is named, and an S3 endpoint from the
    environment (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL) for S3-compatible servers."""
    protocol = protocol_of(url)
    if protocol in ("file", "local"):
        return {}
    options: dict = {}
    if conn_id := os.environ.get(CONN_ENV):
        options.update(_connection_options(conn_id, protocol))
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if protocol in ("s3", "s3a") and "endpoint_url" not in options and endpoint:
        options["endpoint_url"] = endpoint
    return options


def at(location: Location) -> UPath:
    """The path for a data_dir or a location a task passed on: a local path, file:// or a store URL."""
    if isinstance(location, UPath):
        return location
    text = os.fspath(location).removeprefix("file://")
    if protocol_of(text) == "file":
        return UPath(text)
    return UPath(text, **storage_options(text))


def _key(path: UPath) -> str:
    return f"{protocol_of(path)}://{path.path.rstrip('/')}"


@contextmanager
def held(folder: AnyPath) -> Iterator[None]:
    """While the block runs, files this process writes under `folder` on an object store are also kept in
    memory (up to HELD_MAX_BYTES), and read_bytes, read_text, local_folder and staging's stream_records
    return them without a request. Only for a folder no other process writes meanwhile (a run's staging
    under its run lock). Nothing changes for a local folder."""
    if is_local(folder):
        yield
        return
    scope = _key(folder) + "/"
    with _held_lock:
        _held[scope] = {}
    try:
        yield
    finally:
        with _held_lock:
            _held.pop(scope, None)


def _holding(key: str) -> dict[str, bytes] | None:
    """The files kept for the held folder `key` is under (None: not held); the caller holds _held_lock."""
    return next((files for scope, files in _held.items() if key.startswith(scope)), None)


def _remember(path: UPath, data: bytes) -> None:
    key = _key(path)
    with _held_lock:
        if (files := _holding(key)) is not None:
            files.pop(key, None)
            if sum(map(len, files.values())) + len(data) <= HELD_MAX_BYTES:
                files[key] = data


def recall(path: AnyPath) -> bytes | None:
    """The bytes this process wrote to `path` in a held folder (`held`); None when not held here."""
    if is_local(path) or not _held:
        return None
    key = _key(path)
    with _held_lock:
        files = _holding(key)
        return None if files is None else files.get(key)


def open_text(path: AnyPath) -> IO[str]:
    """A UTF-8 file to read as a stream: from memory when this process wrote it to a held folder."""
    data = recall(path)
    return io.StringIO(data.decode("utf-8")) if data is not None else path.open("r", encoding="utf-8")


def _forget(path: UPath) -> None:
    """Drop what is held of `path` and everything under it (removed or moved)."""
    key = _key(path)
    with _held_lock:
        for files in _held.values():
            for name in [k for k in files if k == key or k.startswith(key + "/")]:
                del files[name]


def write_bytes(path: AnyPath, data: bytes) -> None:
    """Write a whole file atomically: no reader ever sees part of it."""
    if is_local(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            pathlib.Path(tmp).unlink(missing_ok=True)
            raise
    else:
        path.fs.pipe_file(path.path, data)  # one PUT: the object appears whole, or not at all
        _remember(path, data)


def read_bytes(path: AnyPath) -> bytes:
    """A whole file's bytes; FileNotFoundError if absent. On an object store one GET (opening the file as
    a stream asks for its size first, a second request)."""
    if is_local(path):
        return path.read_bytes()
    if (data := recall(path)) is not None:
        return data
    if protocol_of(path) in ("s3", "s3a"):  # s3fs asks for the size first unless reads are not split up
        return path.fs.cat_file(path.path, max_concurrency=1)
    return path.fs.cat_file(path.path)


def write_text(path: AnyPath, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def read_text(path: AnyPath) -> str:
    """A whole UTF-8 file; FileNotFoundError if absent. One GET on an object store (`UPath.read_text` opens
    a stream: a HEAD for the size, then the GET)."""
    return read_bytes(path).decode("utf-8")


def read_text_if_any(path: AnyPath) -> str | None:
    """A whole UTF-8 file, or None when there is none: one request, where exists() then a read make three."""
    try:
        return read_text(path)
    except FileNotFoundError:
        return None


def rmtree(path: AnyPath) -> None:
    """Remove a folder and everything under it (nothing if it is absent)."""
    if is_local(path):
        shutil.rmtree(path, ignore_errors=True)
        return
    _forget(path)
    if path.exists():
        path.fs.rm(path.path, recursive=True)


def move(source: AnyPath, target: AnyPath) -> None:
    if is_local(source):
        os.replace(source, str(target))
    else:
        _forget(source)
        if isinstance(target, UPath):
            _forget(target)
        source.fs.mv(source.path, target.path if isinstance(target, UPath) else str(target))


def _info_mtime(info: dict) -> float | None:
    for key in ("mtime", "LastModified", "last_modified", "updated", "created"):
        value = info.get(key)
        if isinstance(value, datetime):
            return value.timestamp()
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
            except ValueError:
                continue
    return None


def mtime(path: UPath) -> float:
    """Last modification time; for a folder on an object store (which has none), its newest object's."""
    if is_local(path):
        return path.stat().st_mtime
    found = path.fs.find(path.path, detail=True)
    times = [t for info in (found.values() if isinstance(found, dict) else []) if (t := _info_mtime(info))]
    if not times and (t := _info_mtime(path.fs.info(path.path))):
        times = [t]
    return max(times, default=0.0)


def _remote_glob(path: UPath, pattern: str) -> list[tuple[UPath, dict]]:
    """(path, listing info) of the objects matching a glob pattern under a folder, in one listing."""
    base = path.path.rstrip("/")
    found = path.fs.glob(f"{base}/{pattern}", detail=True)
    return sorted(((path.joinpath(key[len(base) + 1:]), info) for key, info in found.items()),
                  key=lambda pair: str(pair[0]))


def files_under(path: AnyPath, pattern: str) -> list[AnyPath]:
    """The files matching a glob pattern under a folder (none if it is absent)."""
    if is_local(path):
        return sorted(path.glob(pattern)) if path.exists() else []
    return [p for p, _ in _remote_glob(path, pattern)]


def files_with_mtime(path: AnyPath, pattern: str) -> list[tuple[AnyPath, float]]:
    """files_under with each file's modification time, from one listing on an object store (a request
    per file would make a sweep of the raw store cost as many requests as it holds bodies)."""
    if is_local(path):
        return [(p, p.stat().st_mtime) for p in files_under(path, pattern)]
    return [(p, _info_mtime(info) or 0.0) for p, info in _remote_glob(path, pattern)]


def sha256_of(path: pathlib.Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def finish_folder(local: pathlib.Path, target: UPath, rows: Mapping[str, int] | None = None) -> None:
    """Publish a folder whose files are written: copy them to `target` when that is an object store (a
    local target is `local` itself), then write the manifest last: each file's size and sha256, and its
    row count when `rows` gives one."""
    names = sorted(p.name for p in local.iterdir() if p.is_file() and p.name != MANIFEST)
    if not is_local(target) and names:  # one call: an async store (s3fs) sends the files concurrently
        target.fs.put([str(local / name) for name in names], [(target / name).path for name in names])
        if _holding(_key(target) + "/") is not None:  # held: keep the files (read again only then)
            for name in names:
                _remember(target / name, (local / name).read_bytes())
    listed = {name: {"bytes": (local / name).stat().st_size, "sha256": sha256_of(local / name),
                     **({"rows": rows[name]} if rows is not None and name in rows else {})} for name in names}
    write_text(target / MANIFEST, json.dumps(listed, sort_keys=True))


class IncompleteFolder(OSError):
    """A folder written as a unit whose manifest is missing or does not match: its writer did not finish,
    or a file was lost or changed since."""


def read_manifest(folder: UPath) -> dict[str, dict]:
    """{file name: {"bytes", "sha256", maybe "rows"}} (a manifest from before hashes gives sizes only)."""
    try:
        listed = json.loads(read_text(folder / MANIFEST))
    except FileNotFoundError:
        raise IncompleteFolder(f"{folder} has no {MANIFEST}: its writer did not finish, or the folder was "
                               "removed") from None
    return {name: entry if isinstance(entry, dict) else {"bytes": entry} for name, entry in listed.items()}


def _verify(path: pathlib.Path, entry: dict, shown: object) -> None:
    """IncompleteFolder naming the file when it is missing or not the file the manifest lists."""
    if not path.exists():
        raise IncompleteFolder(f"{shown} is missing (its folder's manifest lists it, {entry['bytes']} bytes)")
    size = path.stat().st_size
    if size != entry["bytes"]:
        raise IncompleteFolder(f"{shown} is {size} bytes, not the {entry['bytes']} its manifest gives")
    if "sha256" in entry and sha256_of(path) != entry["sha256"]:
        raise IncompleteFolder(f"{shown} is not the file its manifest lists (sha256 differs)")


@contextmanager
def local_folder(location: str | os.PathLike[str] | UPath,
                 only: Collection[str] | None = None) -> Iterator[pathlib.Path]:
    """A folder published by finish_folder as a local folder, every file its manifest lists checked
    (size and sha256): itself when local, else a temporary copy; with `only`, just those files (their
    manifest entries are still required). IncompleteFolder names the folder or the file when the manifest
    is missing, a file is missing or a file differs."""
    folder = at(location)
    listed = read_manifest(folder)
    if only is not None:
        if missing := sorted(set(only) - set(listed)):
            raise IncompleteFolder(f"{folder / missing[0]} is not in its folder's manifest")
        listed = {name: listed[name] for name in only}
    if is_local(folder):
        local = pathlib.Path(folder)
        for name, entry in listed.items():
            _verify(local / name, entry, local / name)
        yield local
        return
    with tempfile.TemporaryDirectory(prefix="newsmon-batch-") as tmp:
        # what this process wrote there itself (a held folder) is not fetched again, once one listing shows
        # it still stored at its size (a file lost since is fetched below, and refused)
        kept = {name: data for name in listed if (data := recall(folder / name)) is not None}
        stored = {info["name"].rsplit("/", 1)[-1]: info.get("size")
                  for info in folder.fs.ls(folder.path, detail=True, refresh=True)} if kept else {}
        names = []
        for name in listed:
            if name in kept and stored.get(name) == len(kept[name]):
                pathlib.Path(tmp, name).write_bytes(kept[name])
            else:
                names.append(name)
        try:  # one call: an async store (s3fs) fetches the files concurrently
            if names:
                folder.fs.get([(folder / name).path for name in names], [os.path.join(tmp, name) for name in names])
        except FileNotFoundError:  # which one: the others may be cut short too, so fetch each again in turn
            for name in names:
                try:
                    folder.fs.get_file((folder / name).path, os.path.join(tmp, name))
                except FileNotFoundError:
                    raise IncompleteFolder(f"{folder / name} is missing (its folder's manifest lists it)") from None
        for name, entry in listed.items():
            _verify(pathlib.Path(tmp) / name, entry, folder / name)
        (pathlib.Path(tmp) / MANIFEST).write_text(json.dumps(listed, sort_keys=True), encoding="utf-8")
        yield pathlib.Path(tmp)
