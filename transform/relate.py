"""Relate: a run's parsed records to the rows of one staging batch, streaming.

Three passes over the parsed files, none holding article texts in memory: (1) an index of every URL's
fetch and frontier facts (no text), from which redirects and the one record that stores each canonical
URL are decided; (2) the records with articles, scored against the seeds and turned into article,
mention, entity, alias and salience rows as they stream by; (3) one ledger and frontier row per URL,
from the index. `relate_rows` is pure (records in, rows out); staging I/O lives in newsmon.stage."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, cast

from core.dates import naive_utc
from core.frontier import REVISITED, next_due
from core.staging import Record
from transform.aliases import normalise, titled_form
from transform.dedup import signature
from transform.entities import entity_id
from transform.records import StoredArticle
from transform.relevance import Profile, ranked_terms, relevance

if TYPE_CHECKING:
    from core.config import Settings

RELATION_RANK = {"seed": 0, "linked": 1, "feed": 2, "sitemap": 3, "search": 4}
SCORED = {"feed", "sitemap", "search"}  # found outside the seeds' links: kept only if relevant enough
ARTICLE_STATES = {"stored", "unchanged", "gone"}
Records = Callable[[], Iterable[Record]]  # a fresh stream of the run's parsed records per call
Row = tuple[str, dict[str, Any]]  # (table, row)


@dataclass
class RunIndex:
    """Every record of the run without its article: what pass 1 decides and pass 3 writes from."""

    records: dict[str, Record] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)  # url -> canonical URL of its parsed article
    moved: dict[str, str] = field(default_factory=dict)  # redirecting url -> target url taking its article
    redirected: set[str] = field(default_factory=set)  # urls that redirect to another url of the run
    winners: dict[str, str] = field(default_factory=dict)  # canonical URL -> url of the record storing it

    @classmethod
    def build(cls, records: Iterable[Record]) -> RunIndex:
        index = cls()
        for rec in records:
            light = cast(Record, {k: v for k, v in rec.items() if k not in ("article", "mentions", "salience")})
            index.records[rec["url"]] = light
            if "article" in rec:
                index.canonical[rec["url"]] = rec["article"]["canonical_url"]
        index._merge_redirects()
        index._pick_winners()
        return index

    def _merge_redirects(self) -> None:
        """A URL that redirects to another URL of this run is a duplicate of it; if the target's own fetch
        gave no article (it failed, or was not parsed), the redirect's article moves to the target."""
        for url, rec in self.records.items():
            final = rec["fetch"].get("final_url")
            target = self.records.get(final) if final and final != url else None
            if target is None or final is None or rec.get("is_feed"):
                continue
            target_kept = target["fetch"]["state"] == "not_modified"  # its stored article stands
            if url in self.canonical and final not in self.canonical and not target_kept:
                self.canonical[final] = self.canonical[url]
                self.moved[url] = final
                target["fetch"] = {**target["fetch"], "state": "ok"}
            self.canonical.pop(url, None)
            self.redirected.add(url)
            rec["outcome"] = ("duplicate", f"redirects to {final}")

    def _pick_winners(self) -> None:
        """For each canonical URL, the record that stores it: seed, then fewest hops, then feed."""
        def key(url: str) -> tuple:
            rec = self.records[url]
            return RELATION_RANK[rec["relation"]], rec.get("hops") or 0, url

        for url, canon in self.canonical.items():
            if canon not in self.winners or key(url) < key(self.winners[canon]):
                self.winners[canon] = url


def relate_rows(settings: Settings, run_id: str, records: Records, index: RunIndex,
                profile: Profile) -> Iterator[Row]:
    """Pass 2 and 3: every batch row of the run, table by table as they come."""
    batch = _Rows()
    for rec in records():
        if "article" not in rec or (rec["url"] in index.redirected and rec["url"] not in index.moved):
            continue
        owner = index.records[index.moved.get(rec["url"], rec["url"])]
        art = rec["article"]
        winner = index.winners[art["canonical_url"]]
        if winner != owner["url"]:
            owner["outcome"] = ("duplicate", f"same story as {winner}")
        elif owner["relation"] in SCORED and (
                score := relevance([m["entity"] for m in rec["mentions"]], art["text"], profile)
        ) < settings.relevance_threshold:
            owner["outcome"] = ("irrelevant", f"relevance {score:.3f} < {settings.relevance_threshold:g}")
        else:
            owner["outcome"] = ("stored", "")
            stored = _stored(owner, art, score if owner["relation"] in SCORED else None)
            yield from batch.article(rec, stored)
        owner["article_id"] = art["article_id"]
    for rec in index.records.values():
        yield "urls", ledger_row(settings, rec, run_id)


def _stored(owner: Record, art: dict[str, Any], score: float | None) -> dict[str, Any]:
    """The batch row of a stored article: the parsed fields plus why it is related (UTC, no zone)."""
    return StoredArticle(**{**art, "url": owner["url"], "published_at": naive_utc(art["published_at"]),
                            "modified_at": naive_utc(art["modified_at"]), "fetched_at": naive_utc(art["fetched_at"]),
                            "published_day": date.fromisoformat(day) if (day := art.get("published_day")) else None,
                            "relation": owner["relation"], "hops": owner.get("hops"), "relevance": score,
                            "related_via": owner.get("via")}).row()


class _Rows:
    """Rows of the article tables for one stored article; entities and aliases once per batch."""

    def __init__(self) -> None:
        self._seen: set[tuple] = set()

    def _once(self, table: str, key: tuple) -> bool:
        if (table, *key) in self._seen:
            return False
        self._seen.add((table, *key))
        return True

    def article(self, rec: Record, article: dict[str, Any]) -> Iterator[Row]:
        aid, seen_at = article["article_id"], article["fetched_at"]
        yield "articles", article
        yield "article_signatures", {"article_id": aid, "minhash": signature(article["text"]),
                                     "keywords": ranked_terms(article["text"])}
        counts: dict[str, tuple[int, int]] = {}
        for m in rec["mentions"]:
            eid = entity_id(m["entity"], m["label"])
            if self._once("entities", (eid,)):
                yield "entities", {"entity_id": eid, "name": m["entity"], "type": m["label"], "first_seen_at": seen_at,
                                   "country_code": m.get("country_code"), "geonames_id": m.get("geonames_id")}
            written = titled_form(article["text"], m["start"], m["end"]) if m["label"] == "PERSON" else m["text"]
            for form in sorted({m["text"], written}):
                if self._once("entity_aliases", (eid, form)):
                    yield "entity_aliases", {"entity_id": eid, "alias": form, "name_form": normalise(form, m["label"]),
                                             "first_seen_at": seen_at}
            yield "mentions", {"article_id": aid, "entity_id": eid, "surface": m["text"], "start_char": m["start"],
                               "end_char": m["end"], "label": m["label"]}
            n, first = counts.get(eid, (0, m["start"]))
            counts[eid] = (n + 1, min(first, m["start"]))
        for s in rec.get("salience", []):
            eid = entity_id(s["entity"], s["label"])
            n, first = counts[eid]
            yield "article_entities", {"article_id": aid, "entity_id": eid, "mentions": n, "first_char": first,
                                       "in_headline": s["in_headline"], "salience": s["salience"]}


def ledger_row(settings: Settings, rec: Record, run_id: str) -> dict[str, Any]:
    """The URL's ledger and frontier row: its state, validators, last change and next due time."""
    state, detail = rec["outcome"]
    fetch, known = rec["fetch"], rec.get("known") or {}
    revalidated = fetch["state"] == "not_modified" or state in ARTICLE_STATES
    aid = rec.get("article_id") or (known.get("article_id") if revalidated else None)
    stamp = naive_utc(fetch.get("fetched_at")) or datetime.now(UTC).replace(tzinfo=None)
    first_seen = naive_utc(known.get("first_seen_at")) or stamp
    row = {"url": rec["url"], "state": state, "detail": detail or fetch.get("note") or None,
           "http_status": fetch.get("status"),
           "final_url": fetch.get("final_url"), "article_id": aid, "relation": rec["relation"],
           "hops": rec.get("hops"), "discovered_from": rec.get("via"), "run_id": run_id,
           "first_seen_at": first_seen, "is_feed": bool(rec.get("is_feed")),
           "search_provider": rec.get("search_provider"), "search_query": rec.get("search_query")}
    if state == "queued":
        return {**row, "last_checked_at": None, "fetches": 0}
    got = fetch["state"] in ("ok", "not_modified")
    raw = fetch.get("raw_sha256") if got else known.get("raw_sha256")
    changed = stamp if fetch["state"] == "ok" and raw != known.get("raw_sha256") else \
        naive_utc(known.get("last_changed_at"))
    dead_feed = rec.get("is_feed") and fetch.get("status") in (404, 410)  # e.g. a sitemap location probed
    due = next_due(first_seen, stamp, settings.revisit_after_s, settings.revisit_days) \
        if state in REVISITED and not dead_feed else None
    return {**row, "last_checked_at": stamp, "raw_sha256": raw, "last_changed_at": changed, "next_due_at": due,
            "etag": fetch.get("etag") if got else known.get("etag"),
            "last_modified": fetch.get("last_modified") if got else known.get("last_modified"),
            "content_type": fetch.get("content_type") if got else known.get("content_type"),
            "fetches": 0 if fetch.get("status") is None and state in ("robots_disallowed", "blocked") else 1}
