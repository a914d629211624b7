"""Planning and fetching stages: the frontier to per-host shards, shards to raw bytes, pages to new links.

A cycle fetches in FETCH_ROUNDS rounds. Round 1: seeds, feeds and never-fetched frontier URLs. Each
later round: the links and feed items found in the round before (new URLs only); the last fetch round
also takes the due revisits and the least recently checked pages while budget remains. Links found in
the last round are queued for the next cycle. Every round is one shard per host, so one worker owns a
host's politeness. Records are JSON lines (one per URL) in data_dir/staging/<run_id>/; tasks pass their
locations (local paths or object-store URLs: core.storage), each file written whole or not at all.

Round 2 also asks the `[[search]]` sources (extract.search) and seeds' sitemaps join round 2 (found in the
seed's robots.txt, else at the usual locations; extract.sitemaps).

Round 2's search queries come from the seeds' profile in the run's profile.json (the stored seeds', written
at plan; the application writes this run's seeds' profile there before round 2 when none is stored).
The records are core.staging's Record."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from core import storage
from core.canonical import canonical_url, host_of
from core.dates import iso
from core.frontier import SPENT, Budget, Frontier, order_revisits, order_unfetched, rank_candidates
from core.staging import (
    Fetch,
    Record,
    Shard,
    candidate,
    read_records,
    read_records_if_any,
    read_seed_profile,
    reads_kept_body,
    staging_dir,
    write_records,
    write_seed_profile,
)
from extract.client import Fetcher
from extract.decode import page_html
from extract.errors import FetchFailed
from extract.feeds import feed_items
from extract.links import article_links, feed_links, looks_like_article
from extract.rawstore import CorruptRaw, RawStore
from extract.search import build_query, run_search
from extract.sitemaps import looks_like_sitemap, sitemap_entries, usual_locations

if TYPE_CHECKING:
    from core.config import Settings

Progress = Callable[[str], None]
FETCH_ROUNDS = 3


def quiet(_: str) -> None:
    pass


def _from_row(row: dict[str, Any], **extra: Any) -> Record:
    return candidate(row["url"], row["relation"] or "linked", row["hops"], row["discovered_from"], row,
                     is_feed=bool(row["is_feed"]), **extra)


def fetch_one(fetcher: Fetcher, store: RawStore, rec: Record) -> Fetch:
    """Fetch a record's URL, conditionally when its last body is kept; returns the record's `fetch` dict.

    The frontier's raw hash says the body is kept. It is read first only when a 304 would have it read
    again (core.staging.reads_kept_body): then a missing or corrupt body means fetching without validators.
    Any other revisit sends the validators unread, which on object storage halves a revisit's requests."""
    known = rec.get("known") or {}
    if reads_kept_body(rec, every_body=rec.get("relation") == "seed"):
        usable, note = _kept_body(store, known.get("raw_sha256"))
    else:
        usable, note = bool(known.get("raw_sha256")), None
    last_hop = known.get("final_url") or rec["url"]  # a redirect's validators belong to where it ends
    res = fetcher.get(rec["url"], lambda u: known if usable and u == last_hop else {})
    out = Fetch(state=res.state, detail=res.detail, status=res.status, final_url=res.final_url,
                content_type=res.content_type, fetched_at=res.fetched_at.isoformat(), etag=res.etag,
                last_modified=res.last_modified, prior_state=known.get("state"), prior_detail=known.get("detail"),
                raw_sha256=None, note=note)
    if res.state == "ok":
        out["raw_sha256"] = store.put(res.body or b"")
    elif res.state == "not_modified":
        out.update(Fetch(raw_sha256=known.get("raw_sha256"), content_type=known.get("content_type") or "",
                         etag=res.etag or known.get("etag"),
                         last_modified=res.last_modified or known.get("last_modified")))
    return out


def _kept_body(store: RawStore, sha: str | None) -> tuple[bool, str | None]:
    """Whether the last body is kept and readable (so validators may be sent), and a note if it is corrupt:
    a corrupt body is moved aside and the page fetched again without validators."""
    if not sha:
        return False, None
    try:
        store.get(sha)  # one read, no existence check first: on an object store each is a request
    except FileNotFoundError:
        return False, None
    except CorruptRaw as exc:
        moved = store.quarantine(sha)
        return False, f"{exc}; moved to {moved.name}, fetched again without validators"
    return True, None


# The current run's known.txt and seen files, by path, as this process wrote or read them: each is written
# once (known.txt by the plan, which also puts it here), so each is read once. One run at a time: a
# monitor that runs for months holds only its current run's.
_SEEN_FILES: dict[str, dict[str, frozenset[str]]] = {}


def _seen_files(run_dir: object) -> dict[str, frozenset[str]]:
    """The cache of this run's known.txt and seen files (another run's, if held, is dropped)."""
    if str(run_dir) not in _SEEN_FILES:
        _SEEN_FILES.clear()
    return _SEEN_FILES.setdefault(str(run_dir), {})


class _RunFiles:
    """The run's planning state between rounds: budget, URLs already taken, revisits left, queued URLs."""

    def __init__(self, settings: Settings, run_id: str):
        self.settings, self.run_id = settings, run_id
        self.dir = staging_dir(settings, run_id)

    def seen(self) -> set[str]:
        """Every URL the run has taken or planned: known.txt and the seen files (each written once, so a
        process reads each once: on an object store a GET apiece)."""
        cache, urls = _seen_files(self.dir), set[str]()
        for path in [self.dir / "known.txt", *storage.files_under(self.dir / "seen", "*.txt")]:
            if (key := str(path)) not in cache:
                text = storage.read_text_if_any(path)
                if text is None:
                    continue
                cache[key] = frozenset(text.split())
            urls.update(cache[key])
        return urls

    def add_seen(self, urls: list[str]) -> None:
        """One new file per call (object stores cannot append): seen() reads them all."""
        path = self.dir / "seen" / f"{uuid.uuid4().hex}.txt"
        storage.write_text(path, "".join(u + "\n" for u in urls))
        _seen_files(self.dir)[str(path)] = frozenset(urls)

    def shards(self, round_no: int, records: list[Record]) -> list[Shard]:
        """Write one shard file per host; never an empty list (a placeholder keeps the DAG's mapping simple)."""
        by_host: dict[str, list[Record]] = {}
        for rec in records:
            by_host.setdefault(host_of(rec["url"]), []).append(rec)
        shards = []
        for n, (host, recs) in enumerate(sorted(by_host.items())):
            path = write_records(self.dir / "shards" / f"r{round_no}-{n:04d}.jsonl", recs)
            shards.append(Shard(run_id=self.run_id, host=host, path=str(path), urls=len(recs)))
        return shards or [Shard(run_id=self.run_id, host="", path=None, urls=0)]

    def queue(self, round_no: int, records: list[Record], why: str) -> None:
        """URLs found but not fetched this run: ledgered `queued`, a candidate again next cycle."""
        now = datetime.now(UTC).isoformat()
        for rec in records:
            rec["fetch"] = {"state": "queued", "detail": why, "fetched_at": rec.get("found_at") or now}
        if records:
            write_records(self.dir / "queued" / f"r{round_no}.jsonl", records)


def plan(settings: Settings, run_id: str, frontier: Frontier, progress: Progress = quiet) -> list[Shard]:
    """Round 1 from the frontier: seeds, feeds, never-fetched URLs within the budget. Returns its shards."""
    files = _RunFiles(settings, run_id)
    storage.rmtree(files.dir)  # a rerun of the same run (cleared in Airflow): plan afresh, nothing stale left
    if storage.is_local(files.dir):
        files.dir.mkdir(parents=True)
    budget = Budget(settings.max_pages, settings.max_pages_per_host)
    by_url = {r["url"]: r for r in frontier.rows}
    seeds = [canonical_url(s) for s in settings.seeds]
    wanted = [candidate(u, "seed", 0, None, by_url.get(u), kind="seed") for u in dict.fromkeys(s for s in seeds if s)]
    feeds = dict.fromkeys([f for f in (canonical_url(f) for f in settings.feeds) if f] +
                          [r["url"] for r in frontier.tier(1)])
    feed_recs = [candidate(f, "sitemap" if (by_url.get(f) or {}).get("relation") == "sitemap" else "feed", None,
                           None, by_url.get(f), is_feed=True) for f in feeds if f not in seeds]
    # round 1 reads the seeds and feeds; the sitemaps and the pages waiting from earlier cycles compete in
    # round 2 with what the feeds list now, ranked by what is known about each (core.frontier.rank_candidates)
    wanted += [rec for rec in feed_recs if rec["relation"] != "sitemap"]
    later = [rec for rec in feed_recs if rec["relation"] == "sitemap"] + \
        [_from_row(r, kind="waiting") for r in order_unfetched(frontier.tier(2))]
    chosen = [rec for rec in wanted if budget.take(rec["url"], rec.get("kind") or "feed")]
    taken = {rec["url"] for rec in chosen}
    files.queue(1, [r for r in wanted if r["url"] not in taken and r["url"] not in frontier.known],
                f"over the budget this run ({_budget_limits(settings)}): a candidate again next cycle")
    write_records(files.dir / "waiting.jsonl", later)
    revisits = [_from_row(r, kind="revisit") for r in order_revisits(frontier.tier(3), frontier.tier(4))
                if r["url"] not in taken]
    write_records(files.dir / "revisits.jsonl", revisits)
    storage.write_text(files.dir / "known.txt", "".join(u + "\n" for u in sorted(frontier.known)))
    _seen_files(files.dir)[str(files.dir / "known.txt")] = frozenset(frontier.known)
    files.add_seen([r["url"] for r in wanted + later])
    write_seed_profile(files.dir, frontier.profile)
    budget.save(files.dir / "budget.json")
    progress(f"plan: {len(chosen)} URLs in round 1, {len(later)} waiting for round 2, {len(revisits)} revisit "
             "candidates")
    return files.shards(1, chosen)


def _budget_limits(settings: Settings) -> str:
    return f"max_pages {settings.max_pages}, max_pages_per_host {settings.max_pages_per_host}"


def _found(settings: Settings, store: RawStore, rec: Record) -> list[Record]:
    """New candidates in one freshly fetched record: a feed's items, a sitemap's entries, a page's article
    links and feeds, and a seed's sitemaps."""
    fetch = rec["fetch"]
    if fetch["state"] != "ok":  # a 304 has nothing new: its links were taken when it last changed
        return []
    found_at = fetch["fetched_at"]
    if rec.get("is_feed"):
        try:
            body = store.get(fetch["raw_sha256"] or "")
            if looks_like_sitemap(body):
                return _sitemap_candidates(settings, rec, body, found_at)
            items = feed_items(body, rec["url"])
        except (ValueError, OSError, EOFError) as exc:
            fetch["state"], fetch["detail"] = "failed", f"not a usable feed or sitemap: {exc}"[:300]
            return []
        fetch["detail"] = f"feed with {len(items)} items"
        return [candidate(i.url, "feed", None, rec["url"], feed_published=iso(i.published_at), found_at=found_at,
                          hint=f"{i.title} {i.summary}".strip()) for i in items]
    try:
        html = page_html(store, fetch)
    except FetchFailed:  # nothing to find links in; the parse stage ledgers the reason
        return []
    hops, base, out = rec.get("hops") or 0, fetch["final_url"], []
    follows = rec["relation"] == "seed" or (rec["relation"] == "linked" and looks_like_article(html))
    if follows and hops < settings.max_depth:
        out += [candidate(link.url, "linked", hops + 1, base, found_at=found_at, hint=link.text)
                for link in article_links(html, base)]
    if rec["relation"] == "seed":
        out += [candidate(f, "feed", None, None, is_feed=True, found_at=found_at) for f in feed_links(html, base)]
        maps = fetch.get("sitemaps") or usual_locations(base)
        out += [candidate(u, "sitemap", None, rec["url"], is_feed=True, found_at=found_at) for u in maps]
    return out


def _sitemap_candidates(settings: Settings, rec: Record, body: bytes, found_at: str) -> list[Record]:
    entries, children, old = sitemap_entries(body, rec["url"], settings.sitemap_days)
    window = f"within sitemap_days {settings.sitemap_days:g}" if settings.sitemap_days else "no date limit"
    rec["fetch"]["detail"] = (f"sitemap index with {len(children)} sitemaps" if children else
                              f"sitemap with {len(entries)} entries {window} ({old} older or undated left out)")
    return [candidate(u, "sitemap", None, rec["url"], is_feed=True, found_at=found_at) for u in children] + \
        [candidate(e.url, "sitemap", None, rec["url"], feed_published=iso(e.published_at), found_at=found_at,
                   hint=e.title) for e in entries]


def _new_candidates(settings: Settings, files: _RunFiles, manifests: Sequence[str | None]) -> list[Record]:
    store, seen, out = RawStore(settings.data_dir), files.seen(), []
    for path in filter(None, manifests):
        records = read_records(path)
        for rec in records:
            for cand in _found(settings, store, rec):
                if cand["url"] not in seen:
                    seen.add(cand["url"])
                    out.append(cand)
        write_records(path, records)  # feed details and unusable feeds recorded
    return out


def expand(settings: Settings, run_id: str, manifests: Sequence[str | None], round_no: int,
           progress: Progress = quiet) -> list[Shard]:
    """Round `round_no` (2..FETCH_ROUNDS): the new URLs found in the previous round's pages within the
    budget; the last round adds due revisits and the least recently checked. Returns its shards."""
    files = _RunFiles(settings, run_id)
    budget = Budget.load(files.dir / "budget.json")
    found = _new_candidates(settings, files, manifests)
    if round_no == 2 and settings.search:
        seen = files.seen() | {c["url"] for c in found}
        found = [c for c in _search(settings, files, progress) if c["url"] not in seen] + found
    new_urls = [c["url"] for c in found]
    if round_no == 2:
        found += read_records_if_any(files.dir / "waiting.jsonl")
    found = rank_candidates(found, read_seed_profile(files.dir))
    chosen = [c for c in found if budget.take(c["url"], c.get("kind") or "new")]
    taken = {c["url"] for c in chosen}
    files.queue(round_no, [c for c in found if c["url"] not in taken],
                f"over the budget this run ({_budget_limits(settings)}): a candidate again next cycle")
    if round_no == FETCH_ROUNDS:
        chosen += [r for r in read_records(files.dir / "revisits.jsonl")
                   if r["url"] not in taken and budget.take(r["url"], "revisit")]
    files.add_seen(new_urls)
    budget.save(files.dir / "budget.json")
    progress(f"round {round_no}: {len(chosen)} URLs, {len(found) - len(taken)} queued; budget so far: "
             f"{budget_words(budget)}")
    return files.shards(round_no, chosen)


def budget_words(budget: Budget) -> str:
    """"7 of 8 pages: seed 1, feed 1, likely related 3, ..." in SPENT's order."""
    kinds = sorted(budget.spent, key=lambda k: (SPENT.index(k) if k in SPENT else len(SPENT), k))
    return f"{budget.used} of {budget.total} pages: " + ", ".join(f"{k} {budget.spent[k]}" for k in kinds)


def _search(settings: Settings, files: _RunFiles, progress: Progress) -> list[Record]:
    """Ask every `[[search]]` source once; candidates for their results (each URL once), requests logged
    in searches.jsonl. A source that fails costs only its own results this cycle."""
    built = build_query(read_seed_profile(files.dir))
    out, log, taken = [], [], set()
    for source in settings.search:
        query = source.query or built
        if not query:
            progress(f"search {source.provider}: no query (the seeds have no entities yet)")
            continue
        polite = settings.model_copy(update={"per_host_delay_s": max(settings.per_host_delay_s,
                                                                     source.min_interval_s),
                                             "retries": min(settings.retries, 1)})
        fetcher = Fetcher(polite, run_dir=files.dir)
        try:
            hits, row = run_search(fetcher, source, query, files.run_id)
        finally:
            fetcher.close()
        log.append(row)
        progress(f"search {source.provider} {query!r}: {row['detail']}")
        for hit in hits:
            if hit.url not in taken:
                taken.add(hit.url)
                out.append(candidate(hit.url, "search", None, row["endpoint"], feed_published=iso(hit.published_at),
                                     search_provider=source.provider, search_query=query,
                                     found_at=datetime.now(UTC).isoformat(), hint=hit.title))
    write_records(files.dir / "searches.jsonl", log)
    return out


def collect(settings: Settings, run_id: str, rounds: Sequence[Sequence[str | None]]) -> list[str]:
    """After the last fetch round: queue the links found in its pages; return every file to parse."""
    files = _RunFiles(settings, run_id)
    found = _new_candidates(settings, files, rounds[-1] if rounds else [])
    files.queue(FETCH_ROUNDS + 1, found, "found in the cycle's last round: fetched next cycle")
    files.add_seen([c["url"] for c in found])
    queued = [str(p) for p in storage.files_under(files.dir / "queued", "*.jsonl")]
    return [m for r in rounds for m in r if m] + queued


def fetch_shard(settings: Settings, shard: Shard, progress: Progress = quiet) -> str | None:
    """Fetch every URL of one host's shard, politely; return the manifest path (None for a placeholder)."""
    if not (path := shard["path"]):
        return None
    fetcher = Fetcher(settings, run_dir=staging_dir(settings, shard["run_id"]))
    store = RawStore(settings.data_dir)
    records = read_records(path)
    try:
        for rec in records:
            progress(f"fetch: {rec['url']}")
            rec["fetch"] = fetch_one(fetcher, store, rec)
            if rec["relation"] == "seed" and rec["fetch"]["state"] == "ok":
                rec["fetch"]["sitemaps"] = [u for u in (canonical_url(m) for m in
                                                        fetcher.robots.sitemaps(rec["fetch"]["final_url"])) if u]
    finally:
        fetcher.close()
    source = storage.at(path)
    return str(write_records(source.parent.parent / "fetched" / source.name, records))
