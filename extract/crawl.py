"""Discovery and fetching stages: seeds and feeds to candidate URLs, candidates to raw bytes.

Records passed between stages are JSON lines (one per URL) in data_dir/staging/<run_id>/; tasks pass
only paths. A record: url, relation (seed, linked, feed), hops, via, and after fetching a `fetch` dict
(state ok / not_modified / a ledger state, detail, status, final_url, content_type, raw_sha256, ...)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from extract.canonical import canonical_url, host_of
from extract.client import Fetcher
from extract.decode import decode_html
from extract.errors import FetchFailed
from extract.feeds import feed_items
from extract.links import article_links, feed_links, looks_like_article
from extract.rawstore import RawStore
from extract.state import UrlState

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def staging_dir(settings, run_id: str) -> Path:  # type: ignore[no-untyped-def]
    """The folder holding one run's intermediate files."""
    return Path(settings.data_dir) / "staging" / re.sub(r"[^A-Za-z0-9_.+-]", "_", run_id)


def fetch_one(fetcher: Fetcher, store: RawStore, state: UrlState, url: str) -> dict:
    """Fetch `url` conditionally and keep the bytes; returns the record's `fetch` dict."""
    def validators(u: str) -> dict:
        known = state.get(u)
        return known if known.get("raw_sha256") and store.has(known["raw_sha256"]) else {}

    res = fetcher.get(url, validators)
    out = {"state": res.state, "detail": res.detail, "status": res.status, "final_url": res.final_url,
           "content_type": res.content_type, "fetched_at": res.fetched_at.isoformat(),
           "prior_state": state.get(url).get("state"), "prior_detail": state.get(url).get("detail"),
           "raw_sha256": None}
    if res.state == "ok":
        out["raw_sha256"] = store.put(res.body or b"")
    elif res.state == "not_modified":
        known = state.get(res.final_url)
        out["raw_sha256"] = known.get("raw_sha256")
        out["content_type"] = known.get("content_type", "")
        out["fetched_at"] = known.get("fetched_at", out["fetched_at"])
    if res.state in ("ok", "not_modified"):
        keep = {"etag": res.etag, "last_modified": res.last_modified, "raw_sha256": out["raw_sha256"],
                "content_type": out["content_type"], "fetched_at": out["fetched_at"]}
        state.update(url, final_url=res.final_url, **keep)
        if host_of(res.final_url) == host_of(url):  # another host's state file belongs to its own shard
            state.update(res.final_url, **keep)
    return out


def page_html(store: RawStore, fetch: dict) -> str | None:
    """Decoded HTML of a fetched record, or None if it has no usable bytes."""
    if fetch.get("state") not in ("ok", "not_modified") or not fetch.get("raw_sha256"):
        return None
    try:
        return decode_html(store.get(fetch["raw_sha256"]), fetch.get("content_type", ""))
    except (FetchFailed, FileNotFoundError):
        return None


class _Frontier:
    """Candidate URLs in discovery order; the first relation found for a URL wins."""

    def __init__(self) -> None:
        self.records: dict[str, dict] = {}

    def add(self, url: str | None, relation: str, hops: int | None, via: str | None, **extra: object) -> bool:
        if not url or url in self.records:
            return False
        self.records[url] = {"url": url, "relation": relation, "hops": hops, "via": via, **extra}
        return True


def discover(settings, run_id: str, progress: Progress = _quiet) -> list[dict]:  # type: ignore[no-untyped-def]
    """Walk seeds up to max_depth link hops and poll feeds; write one shard file per host.

    Pages whose links are needed (hops < max_depth) are fetched here, the rest by fetch_shard.
    Returns shard descriptors {run_id, host, path, urls}."""
    run_dir = staging_dir(settings, run_id)
    fetcher = Fetcher(settings, run_dir=run_dir)
    store, state = RawStore(settings.data_dir), UrlState(settings.data_dir)
    frontier = _Frontier()
    level = [u for s in settings.seeds if frontier.add(u := canonical_url(s), "seed", 0, None)]
    feeds = [canonical_url(f) for f in settings.feeds]
    try:
        # Seeds are always fetched here (their feeds are needed); leaves are left to fetch_shard.
        for depth in range(max(settings.max_depth, 1)):
            next_level = []
            for url in level:
                rec = frontier.records[url]
                progress(f"discover: {url}")
                rec["fetch"] = fetch_one(fetcher, store, state, url)
                html = page_html(store, rec["fetch"])
                if html is None:
                    continue
                base = rec["fetch"]["final_url"]
                if depth < settings.max_depth and (rec["relation"] == "seed" or looks_like_article(html)):
                    next_level += [link.url for link in article_links(html, base)
                                   if frontier.add(link.url, "linked", depth + 1, base)]
                if rec["relation"] == "seed":
                    feeds += [f for f in feed_links(html, base) if f not in feeds]
            level = next_level
        feed_records = [_poll_feed(fetcher, store, state, feed, frontier, progress) for feed in feeds if feed]
    finally:
        fetcher.close()
        state.save()
    return _write_shards(settings, run_id, list(frontier.records.values()), feed_records)


def _poll_feed(fetcher: Fetcher, store: RawStore, state: UrlState, feed: str, frontier: _Frontier,
               progress: Progress) -> dict:
    progress(f"feed: {feed}")
    rec = {"url": feed, "relation": "feed", "hops": None, "via": None, "is_feed": True}
    rec["fetch"] = fetch_one(fetcher, store, state, feed)
    if rec["fetch"]["raw_sha256"]:
        try:
            items = feed_items(store.get(rec["fetch"]["raw_sha256"]), feed)
        except ValueError as exc:
            rec["fetch"].update(state="failed", detail=str(exc)[:300])
            return rec
        new = sum(frontier.add(item.url, "feed", None, feed, feed_published=item.published_at.isoformat()
                               if item.published_at else None) for item in items)
        rec["fetch"]["detail"] = f"feed with {len(items)} items, {new} new candidates"
    return rec


def _write_shards(settings, run_id: str, records: list[dict], feed_records: list[dict]) -> list[dict]:  # type: ignore[no-untyped-def]
    for i, rec in enumerate(records):
        if i >= settings.max_pages and "fetch" not in rec:
            rec["fetch"] = {"state": "skipped", "detail": f"over max_pages ({settings.max_pages}) this run",
                            "fetched_at": datetime.now(UTC).isoformat()}
    by_host: dict[str, list[dict]] = {}
    for rec in records + feed_records:
        by_host.setdefault(host_of(rec["url"]), []).append(rec)
    folder = staging_dir(settings, run_id) / "shards"
    folder.mkdir(parents=True, exist_ok=True)
    shards = []
    for n, (host, recs) in enumerate(sorted(by_host.items())):
        path = folder / f"{n:04d}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
        shards.append({"run_id": run_id, "host": host, "path": str(path), "urls": len(recs)})
    return shards


def read_records(path: str | Path) -> list[dict]:
    """The records of a shard or manifest file."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line]


def fetch_shard(settings, shard: dict, progress: Progress = _quiet) -> str:  # type: ignore[no-untyped-def]
    """Fetch every not-yet-fetched URL of one host's shard, politely; return the manifest path."""
    fetcher = Fetcher(settings, run_dir=staging_dir(settings, shard["run_id"]))
    store, state = RawStore(settings.data_dir), UrlState(settings.data_dir)
    records = read_records(shard["path"])
    try:
        for rec in records:
            if "fetch" not in rec:
                progress(f"fetch: {rec['url']}")
                rec["fetch"] = fetch_one(fetcher, store, state, rec["url"])
    finally:
        fetcher.close()
        state.save()
    out = Path(shard["path"]).parent.parent / "fetched" / Path(shard["path"]).name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(out)
