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

from extract.crawl import page_html, read_records, staging_dir
from extract.rawstore import RawStore
from extract.state import UrlState
from transform.aliases import normalise, titled_form
from transform.article import Article, NotArticle, extract_article
from transform.entities import analyse, entity_id
from transform.relevance import relevance, seed_profile
from warehouse.batch import write_table

RELATION_RANK = {"seed": 0, "linked": 1, "feed": 2}


def article_id(canonical: str) -> str:
    """Stable id of an article: derived from its canonical URL."""
    return hashlib.sha1(canonical.encode()).hexdigest()[:16]


def _ledger_state(rec: dict) -> tuple[str, str]:
    fetch = rec["fetch"]
    ok = fetch["state"] in ("ok", "not_modified")
    if rec.get("is_feed"):
        return ("feed", fetch["detail"]) if ok else (fetch["state"], fetch["detail"])
    if fetch["state"] == "not_modified":
        prior = fetch.get("prior_state")
        if prior in (None, "stored", "unchanged"):
            return "unchanged", "304 Not Modified: stored article kept"
        return prior, fetch.get("prior_detail") or f"304 Not Modified: still {prior}"
    return fetch["state"], fetch.get("detail", "")


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
        if rec["fetch"]["state"] != "ok" or rec.get("is_feed"):
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


def parse_manifest(settings, manifest: str) -> str:  # type: ignore[no-untyped-def]
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


def relate(settings, run_id: str, parsed_paths: list[str]) -> str:  # type: ignore[no-untyped-def]
    """Dedupe, score feed items, assign every URL its ledger state; write the batch, return its folder."""
    records = _merge_redirects([r for p in parsed_paths for r in read_records(p)])
    store, state = RawStore(settings.data_dir), UrlState(settings.data_dir)
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
        known = state.get(rec["url"]).get("article_id") if rec["fetch"]["state"] == "not_modified" else None
        row = _ledger_row(rec, run_id, art["article_id"] if art else known)
        batch.tables["urls"].append(row)
        state.update(rec["url"], state=row["state"], detail=row["detail"], article_id=row["article_id"])
    state.save()
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
    """A URL that redirects to another URL of this run is a duplicate of it; if the redirect was
    fetched first (so the target only got a 304), its parsed article moves to the target's record."""
    by_url = {r["url"]: r for r in records}
    for rec in records:
        final = rec["fetch"].get("final_url")
        target = by_url.get(final) if final and final != rec["url"] else None
        if target is None or rec.get("is_feed"):
            continue
        if "article" in rec and "article" not in target:
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
    return {**art, "url": rec["url"], "published_at": _ts(art["published_at"]),
            "modified_at": _ts(art["modified_at"]), "fetched_at": _ts(art["fetched_at"]),
            "relation": rec["relation"], "hops": rec.get("hops"), "relevance": score,
            "related_via": rec.get("via")}


def _ledger_row(rec: dict, run_id: str, aid: str | None) -> dict:
    state, detail = rec["outcome"]
    fetch = rec["fetch"]
    checked = _ts(fetch.get("fetched_at")) or datetime.now(UTC).replace(tzinfo=None)
    return {"url": rec["url"], "state": state, "detail": detail or None, "http_status": fetch.get("status"),
            "final_url": fetch.get("final_url"), "article_id": aid, "relation": rec["relation"],
            "hops": rec.get("hops"), "discovered_from": rec.get("via"), "first_seen_at": checked,
            "last_checked_at": checked, "run_id": run_id}
