"""A run's staging files and the record that travels through them.

A cycle's intermediate files live in data_dir/staging/<run_id>/ (local paths or object-store URLs:
core.storage): shards to fetch, fetched manifests, parsed files, the planning state. Each is JSON lines, one
`Record` per URL, written whole or not at all; a damaged one is StagingCorrupt naming the file and line.

A Record: url, relation (seed, linked, feed, sitemap, search), hops, via, is_feed (feeds and sitemaps),
feed_published, search_provider, search_query, found_at; `known`, what the frontier remembers of the URL
(validators, raw hash, state, article_id, have_article, first_seen_at, last_changed_at); once fetched,
`fetch` (state ok / not_modified / a ledger state, detail, status, final_url, content_type, raw_sha256,
fetched_at, prior_state); once parsed, `article`, `mentions` and `salience`, or a ledger `outcome`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypedDict, cast

from upath import UPath

from core import storage
from core.dates import iso
from core.frontier import SeedProfile

if TYPE_CHECKING:
    from core.config import Settings


class Known(TypedDict, total=False):
    """What the frontier remembers of a URL (its `urls` row), as the planner hands it to the fetcher."""

    state: str | None
    detail: str | None
    final_url: str | None
    etag: str | None
    last_modified: str | None
    raw_sha256: str | None
    content_type: str | None
    article_id: str | None
    have_article: bool | None
    first_seen_at: str | None
    last_changed_at: str | None
    fetches: int | None


class Fetch(TypedDict, total=False):
    """What one fetch gave: a ledger state and its reason, the response's facts, the kept body's hash."""

    state: str
    detail: str
    status: int | None
    final_url: str
    content_type: str
    fetched_at: str
    etag: str | None
    last_modified: str | None
    prior_state: str | None
    prior_detail: str | None
    raw_sha256: str | None
    note: str | None
    sitemaps: list[str]


class Record(TypedDict, total=False):
    """One URL's way through a cycle (see the module's text)."""

    url: str
    relation: str
    hops: int | None
    via: str | None
    is_feed: bool
    known: Known
    feed_published: str | None
    search_provider: str
    search_query: str
    found_at: str
    hint: str  # what is known before fetching: feed item title and summary, sitemap or search title, link text
    kind: str  # what the budget spent on it (core.frontier.SPENT)
    fetch: Fetch
    outcome: tuple[str, str] | list[str]
    article: dict[str, Any]
    mentions: list[dict[str, Any]]
    salience: list[dict[str, Any]]
    article_id: str


class Shard(TypedDict):
    """One host's part of a fetch round, as tasks pass it on: the file of its records (None: a placeholder
    that keeps the DAG's task mapping simple when a round has nothing to fetch)."""

    run_id: str
    host: str
    path: str | None
    urls: int


KNOWN_FIELDS = tuple(Known.__annotations__)


def reads_kept_body(rec: Record, every_body: bool = False) -> bool:
    """Whether a 304 for this record has its kept body read again: with `every_body` (the seeds, whose text
    makes the search profile), or a stored page whose article is not in the warehouse. The fetcher checks
    such a body before sending validators; any other 304 leaves the kept body unread."""
    known = rec.get("known") or {}
    return not rec.get("is_feed") and (
        every_body or (known.get("state") in ("stored", "unchanged") and not known.get("have_article")))


class StagingCorrupt(ValueError):
    """A run's staging file that cannot be read back (truncated or damaged): the run fails naming it."""


def run_folder(run_id: str) -> str:
    """The name of a run's staging folder: its run id with anything but letters, digits and _.+- as _."""
    return re.sub(r"[^A-Za-z0-9_.+-]", "_", run_id)


def staging_dir(settings: Settings, run_id: str) -> UPath:
    """The folder holding one run's intermediate files."""
    return storage.at(settings.data_dir) / "staging" / run_folder(run_id)


def candidate(url: str, relation: str, hops: int | None, via: str | None, row: dict[str, Any] | None = None,
              **extra: Any) -> Record:
    """A record to fetch; `row` is the URL's frontier row when the frontier knows it."""
    # the keys are Known's own (KNOWN_FIELDS), read off the frontier row
    known = cast(Known, {k: iso(row[k]) if k.endswith("_at") else row[k] for k in KNOWN_FIELDS if k in row}
                 if row else {})
    rec = Record(url=url, relation=relation, hops=hops, via=via, is_feed=False, known=known)
    rec.update(cast(Record, extra))  # extra: Record's other keys, by name (feed_published, found_at, ...)
    return rec


def _decode(path: object, n: int, line: str) -> Record:
    try:
        return cast(Record, json.loads(line))  # written by write_records
    except json.JSONDecodeError as exc:
        raise StagingCorrupt(f"staging file {path} is corrupt at line {n}: {exc}; "
                             "the next run plans afresh") from None


def stream_records(paths: Iterable[storage.Location]) -> Iterator[Record]:
    """The records of staging files, one at a time (memory holds one line)."""
    for path in paths:
        try:
            with storage.open_text(storage.at(path)) as fh:
                for n, line in enumerate(fh, 1):
                    if line.strip():
                        yield _decode(path, n, line)
        except UnicodeDecodeError as exc:
            raise StagingCorrupt(f"staging file {path} is corrupt: {exc}") from None


def _records(path: storage.Location, read: Callable[[storage.AnyPath], str | None]) -> list[Record]:
    """The records of one staging file read whole with `read` ([] when `read` finds no file)."""
    try:
        text = read(storage.at(path)) or ""
    except UnicodeDecodeError as exc:
        raise StagingCorrupt(f"staging file {path} is corrupt: {exc}") from None
    return [_decode(path, n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]


def read_records(path: storage.Location) -> list[Record]:
    """The records of a shard or manifest file; StagingCorrupt naming the file and line if one is damaged.
    One read of the whole file (on an object store one GET; stream_records costs a HEAD as well)."""
    return _records(path, storage.read_text)


def read_records_if_any(path: storage.Location) -> list[Record]:
    """read_records, or [] when the file does not exist."""
    return _records(path, storage.read_text_if_any)


def read_seed_profile(run_dir: UPath) -> SeedProfile:
    """The seeds' profile a run's search sources query from (profile.json); empty when none is written."""
    path = run_dir / "profile.json"
    text = storage.read_text_if_any(path)
    return cast(SeedProfile, json.loads(text) if text is not None else {})


def write_seed_profile(run_dir: UPath, profile: SeedProfile) -> None:
    storage.write_text(run_dir / "profile.json", json.dumps(profile))


def read_known_entities(run_dir: UPath) -> tuple[tuple[str, str], ...]:
    """The (name, label) pairs the warehouse had confirmed when the run was planned (known_entities.json,
    written by the discover stage, the one that may open the DuckDB file); () when none is written."""
    path = run_dir / "known_entities.json"
    text = storage.read_text_if_any(path)
    if text is None:
        return ()
    try:
        return tuple((str(name), str(label)) for name, label in json.loads(text))
    except (ValueError, TypeError) as exc:
        raise StagingCorrupt(f"staging file {path} is corrupt: {exc}") from None


def write_known_entities(run_dir: UPath, known: Iterable[tuple[str, str]]) -> None:
    storage.write_text(run_dir / "known_entities.json", json.dumps([list(pair) for pair in known]))


def write_records(path: storage.Location, records: Iterable[Record] | Iterable[dict[str, Any]]) -> UPath:
    """Write records as JSON lines, atomically (a reader never sees half a file)."""
    target = storage.at(path)
    storage.write_text(target, "".join(json.dumps(r, default=str) + "\n" for r in records))
    return target
