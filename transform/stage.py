"""Parse and relate stages: fetched records to articles with entities, then to one staging batch.

parse_manifest turns one host's fetched records into articles (NER batched per shard); relate
deduplicates across shards by canonical URL, scores feed items against the seeds, and writes the
Parquet batch the single writer loads. Each URL ends in exactly one ledger state."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from extract.crawl import page_html, read_records, staging_dir
from extract.frontier import REVISITED, next_due
from extract.rawstore import RawStore
from transform.aliases import normalise, titled_form
from transform.article import NotArticle, extract_article
from transform.entities import analyse, entity_id
from transform.records import Article, StoredArticle
from transform.relevance import relevance, seed_profile
from warehouse.batch import write_table

if TYPE_CHECKING:
    from newsmon.config import Settings

RELATION_RANK = {"seed": 0, "linked": 1, "feed": 2}


def article_id(canonical: str) -> str:
    """Stable id of an article: derived from its canonical URL."""
    return hashlib.sha1(canonical.encode()).hexdigest()[:16]


ARTICLE_STATES = {"stored", "unchanged", "gone"}


def _ledger_state(rec: dict) -> tuple[str, str]:
    fetch, known = rec["fetch"], rec.get("known") or {}
    ok = fetch["state"] in ("ok", "not_modified")
    if rec.get("is_feed"):
        return ("feed", fetch["detail"]) if ok else (fetch["state"], fetch["detail"])
    if fetch["state"] == "not_modified":
        prior = fetch.get("prior_state")
        if prior in (None, "stored", "unchanged"):
            return "unchanged", "304 Not Modified: stored article kept"
        return prior, fetch.get("prior_detail") or f"304 Not Modified: still {prior}"
    if fetch.get("status") in (404, 410) and known.get("state") in ARTICLE_STATES and known.get("article_id"):
        return "gone", f"{fetch['detail']}: the stored article is kept and marked removed"
    return fetch["state"], fetch.get("detail", "")


def _needs_parse(rec: dict) -> bool:
    """A fresh body, or a 304 for a stored page whose article is not in the warehouse (re-read the kept body)."""
    fetch, known = rec["fetch"], rec.get("known") or {}
    if rec.get("is_feed"):
        return False
    if fetch["state"] == "ok":
        return True
    return (fetch["state"] == "not_modified" and known.get("state") in ("stored", "unchanged")
            and not known.get("have_article"))


def _parse_one(rec: dict, store: RawStore) -> Article | NotArticle:
    html = page_html(store, rec["fetch"])
    if html is None:
        return NotArticle("binary content, not text")
    feed_day = datetime.fromisoformat(rec["feed_published"]) if rec.get("feed_published") else None
    return extract_article(html, rec["fetch"]["final_url"], feed_day)


def parse_records(records: list[dict], store: RawStore, model: str) -> list[dict]:
    """Attach an `article` (dict with `mentions`) or a ledger `outcome` to each fetched record."""
    parsed: list[tuple[dict, Article]] = []
    for rec in records:
        if not _needs_parse(rec):
            rec["outcome"] = _ledger_state(rec)
            continue
        try:
            result = _parse_one(rec, store)
        except Exception as exc:  # one page the parsers choke on must not fail the batch
            rec["outcome"] = ("failed", f"parse error: {type(exc).__name__}: {exc}"[:300])
            continue
        if isinstance(result, NotArticle):
            rec["outcome"] = ("not_article", result.reason)
        else:
            parsed.append((rec, result))
    found = analyse([(a.title, a.text) for _, a in parsed], model)
    for (rec, art), result in zip(parsed, found, strict=True):
        rec["article"] = _article_row(rec, art)
        rec["mentions"] = [m.record() for m in result.mentions]
        rec["salience"] = [{"entity": name, "label": label, "salience": score, "in_headline": name in
                            result.in_headline} for (name, label), score in result.salience.items()]
    return records


def _article_row(rec: dict, art: Article) -> dict:
    row = asdict(art)
    for key in ("published_at", "modified_at"):
        row[key] = row[key].isoformat() if row[key] else None
    row.update(article_id=article_id(art.canonical_url), word_count=len(art.text.split()),
               fetched_at=rec["fetch"]["fetched_at"], raw_sha256=rec["fetch"]["raw_sha256"])
    return row


def parse_manifest(settings: Settings, manifest: str) -> str:
    """Parse one fetched shard; return the path of its parsed JSON lines."""
    records = parse_records(read_records(manifest), RawStore(settings.data_dir), settings.spacy_model)
    out = Path(manifest).parent.parent / "parsed" / Path(manifest).name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, default=str) + "\n" for r in records), encoding="utf-8")
    return str(out)


def _ts(value: str | None) -> datetime | None:
    """ISO 8601 string to a naive UTC datetime (the warehouse stores UTC without zone)."""
    if not value:
        return None
    stamp = datetime.fromisoformat(value)
    return (stamp.astimezone(UTC) if stamp.tzinfo else stamp).replace(tzinfo=None)


def _seed_texts(records: list[dict], store: RawStore, model: str) -> list[tuple[list[str], str]]:
    """(entity names, text) of each seed: parsed this run, or re-read from the raw store if unchanged."""
    seeds = [r for r in records if r["relation"] == "seed"]
    unchanged = [{**r, "fetch": {**r["fetch"], "state": "ok"}} for r in seeds
                 if "article" not in r and r["fetch"]["state"] == "not_modified"]
    parsed = [r for r in seeds + parse_records(unchanged, store, model) if "article" in r]
    return [([m["entity"] for m in r["mentions"]], r["article"]["text"]) for r in parsed]


def relate(settings: Settings, run_id: str, parsed_paths: list[str]) -> str:
    """Dedupe, score feed items, assign every URL its ledger state and frontier fields; write the batch."""
    records = _merge_redirects([r for p in parsed_paths for r in read_records(p)])
    store = RawStore(settings.data_dir)
    winners = _pick_winners(records)
    profile = seed_profile(_seed_texts(records, store, settings.spacy_model))
    batch = _Batch()
    for rec in records:
        art = rec.get("article")
        if art is not None:
            if winners[art["canonical_url"]] is not rec:
                rec["outcome"] = ("duplicate", f"same story as {winners[art['canonical_url']]['url']}")
            elif rec["relation"] == "feed" and (
                    score := relevance([m["entity"] for m in rec["mentions"]], art["text"], profile)
            ) < settings.relevance_threshold:
                rec["outcome"] = ("irrelevant", f"relevance {score:.3f} < {settings.relevance_threshold:g}")
            else:
                rec["outcome"] = ("stored", "")
                batch.add_article(rec, _final_article(rec, art, score if rec["relation"] == "feed" else None))
        revalidated = rec["fetch"]["state"] == "not_modified" or rec["outcome"][0] in ARTICLE_STATES
        art_id = art["article_id"] if art else (rec.get("known") or {}).get("article_id") if revalidated else None
        batch.tables["urls"].append(_ledger_row(settings, rec, run_id, art_id))
    folder = staging_dir(settings, run_id) / "batch"
    for name, rows in batch.tables.items():
        write_table(folder, name, rows)
    return str(folder)


class _Batch:
    """The rows of one staging batch, table by table; entities and aliases once each."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict]] = {name: [] for name in (
            "articles", "mentions", "entities", "entity_aliases", "article_entities", "urls")}
        self._seen: set[tuple] = set()

    def _once(self, table: str, key: tuple, row: dict) -> None:
        if (table, *key) not in self._seen:
            self._seen.add((table, *key))
            self.tables[table].append(row)

    def add_article(self, rec: dict, article: dict) -> None:
        aid, seen_at = article["article_id"], article["fetched_at"]
        self.tables["articles"].append(article)
        counts: dict[str, tuple[int, int]] = {}
        for m in rec["mentions"]:
            eid = entity_id(m["entity"], m["label"])
            self._once("entities", (eid,), {"entity_id": eid, "name": m["entity"], "type": m["label"],
                                            "first_seen_at": seen_at, "country_code": m.get("country_code"),
                                            "geonames_id": m.get("geonames_id")})
            written = titled_form(article["text"], m["start"], m["end"]) if m["label"] == "PERSON" else m["text"]
            for form in {m["text"], written}:
                self._once("entity_aliases", (eid, form), {
                    "entity_id": eid, "alias": form, "name_form": normalise(form, m["label"]),
                    "first_seen_at": seen_at})
            self.tables["mentions"].append({"article_id": aid, "entity_id": eid, "surface": m["text"],
                                            "start_char": m["start"], "end_char": m["end"], "label": m["label"]})
            n, first = counts.get(eid, (0, m["start"]))
            counts[eid] = (n + 1, min(first, m["start"]))
        for s in rec.get("salience", []):
            eid = entity_id(s["entity"], s["label"])
            n, first = counts[eid]
            self.tables["article_entities"].append({
                "article_id": aid, "entity_id": eid, "mentions": n, "first_char": first,
                "in_headline": s["in_headline"], "salience": s["salience"]})


def _merge_redirects(records: list[dict]) -> list[dict]:
    """A URL that redirects to another URL of this run is a duplicate of it; if the target's own fetch
    gave no article (it failed, or was not parsed), the redirect's parsed article moves to the target."""
    by_url = {r["url"]: r for r in records}
    for rec in records:
        final = rec["fetch"].get("final_url")
        target = by_url.get(final) if final and final != rec["url"] else None
        if target is None or rec.get("is_feed"):
            continue
        target_kept = target["fetch"]["state"] == "not_modified"  # its stored article stands (or was re-read)
        if "article" in rec and "article" not in target and not target_kept:
            target["article"], target["mentions"] = rec.pop("article"), rec.pop("mentions")
            target["fetch"] = {**target["fetch"], "state": "ok"}
        rec.pop("article", None)
        rec["outcome"] = ("duplicate", f"redirects to {final}")
    return records


def _pick_winners(records: list[dict]) -> dict[str, dict]:
    """For each canonical URL, the record that stores it: seed, then fewest hops, then feed."""
    best: dict[str, dict] = {}
    for rec in records:
        if "article" not in rec:
            continue
        key = (RELATION_RANK[rec["relation"]], rec.get("hops") or 0, rec["url"])
        canon = rec["article"]["canonical_url"]
        cur = best.get(canon)
        if cur is None or key < (RELATION_RANK[cur["relation"]], cur.get("hops") or 0, cur["url"]):
            best[canon] = rec
    return best


def _final_article(rec: dict, art: dict, score: float | None) -> dict:
    """The batch row of a stored article: the parsed fields plus why it is related (UTC, no zone)."""
    stored = StoredArticle(**{**art, "url": rec["url"], "published_at": _ts(art["published_at"]),
                              "modified_at": _ts(art["modified_at"]), "fetched_at": _ts(art["fetched_at"]),
                              "relation": rec["relation"], "hops": rec.get("hops"), "relevance": score,
                              "related_via": rec.get("via")})
    return stored.row()


def _ledger_row(settings: Settings, rec: dict, run_id: str, aid: str | None) -> dict:
    """The URL's ledger and frontier row: its state, validators, last change and next due time."""
    state, detail = rec["outcome"]
    fetch, known = rec["fetch"], rec.get("known") or {}
    stamp = _ts(fetch.get("fetched_at")) or datetime.now(UTC).replace(tzinfo=None)
    row = {"url": rec["url"], "state": state, "detail": detail or None, "http_status": fetch.get("status"),
           "final_url": fetch.get("final_url"), "article_id": aid, "relation": rec["relation"],
           "hops": rec.get("hops"), "discovered_from": rec.get("via"), "run_id": run_id,
           "first_seen_at": _ts(known.get("first_seen_at")) or stamp, "is_feed": bool(rec.get("is_feed"))}
    if state == "queued":
        return {**row, "last_checked_at": None, "fetches": 0}
    got = fetch["state"] in ("ok", "not_modified")
    raw = fetch.get("raw_sha256") if got else known.get("raw_sha256")
    changed = stamp if fetch["state"] == "ok" and raw != known.get("raw_sha256") else _ts(known.get("last_changed_at"))
    due = next_due(row["first_seen_at"], stamp, settings.revisit_after_s, settings.revisit_days) \
        if state in REVISITED else None
    return {**row, "last_checked_at": stamp, "raw_sha256": raw, "last_changed_at": changed, "next_due_at": due,
            "etag": fetch.get("etag") if got else known.get("etag"),
            "last_modified": fetch.get("last_modified") if got else known.get("last_modified"),
            "content_type": fetch.get("content_type") if got else known.get("content_type"),
            "fetches": 0 if fetch.get("status") is None and state in ("robots_disallowed", "blocked") else 1}
