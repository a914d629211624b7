"""Parse and relate stages: fetched records to articles with entities, then to one staging batch.

parse_manifest turns one host's fetched records into articles (NER batched per shard); relate
(transform.relate, streaming) deduplicates across shards by canonical URL, scores feed items against the
seeds, and writes the Parquet batch the single writer loads. Each URL ends in exactly one ledger state."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING

from extract.crawl import StagingCorrupt, page_html, read_records, staging_dir
from extract.errors import FetchFailed
from extract.rawstore import RawStore
from newsmon import storage
from transform.article import NotArticle, extract_article
from transform.entities import analyse
from transform.records import Article
from transform.relate import ARTICLE_STATES, RunIndex, relate_rows
from transform.relevance import ranked_terms, seed_profile
from warehouse.batch import BatchWriter

if TYPE_CHECKING:
    from newsmon.config import Settings

def article_id(canonical: str) -> str:
    """Stable id of an article: derived from its canonical URL."""
    return hashlib.sha1(canonical.encode()).hexdigest()[:16]



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
    try:
        html = page_html(store, rec["fetch"])
    except FetchFailed as exc:  # the reason, as the crawler gives it: not HTML, binary, body unreadable
        return NotArticle(exc.detail)
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
    source = storage.at(manifest)
    out = source.parent.parent / "parsed" / source.name
    storage.write_text(out, "".join(json.dumps(r, default=str) + "\n" for r in records))
    return str(out)


def _seed_texts(records: Iterable[dict], store: RawStore, model: str) -> list[tuple[list[str], str]]:
    """(entity names, text) of each seed: parsed this run, or re-read from the raw store if unchanged."""
    seeds = [r for r in records if r["relation"] == "seed"]
    unchanged = [{**r, "fetch": {**r["fetch"], "state": "ok"}} for r in seeds
                 if "article" not in r and r["fetch"]["state"] == "not_modified"]
    parsed = [r for r in seeds + parse_records(unchanged, store, model) if "article" in r]
    return [([m["entity"] for m in r["mentions"]], r["article"]["text"]) for r in parsed]


def seed_search_profile(seeds: list[dict], store: RawStore, model: str) -> dict:
    """The seeds' profile for search queries, from their fetched pages (before they are stored):
    {"entities": [[name, type, salience], ...] most salient first, "keywords": [...] most frequent first,
    "titles": [...]}."""
    usable = [{**r, "fetch": {**r["fetch"], "state": "ok"}} for r in seeds
              if r.get("fetch", {}).get("state") in ("ok", "not_modified")]
    entities: dict[tuple[str, str], float] = {}
    keywords: list[str] = []
    titles: list[str] = []
    for rec in parse_records(usable, store, model):
        if "article" not in rec:
            continue
        titles.append(rec["article"]["title"])
        for s in rec["salience"]:
            key = (s["entity"], s["label"])
            entities[key] = max(entities.get(key, 0.0), s["salience"])
        keywords += [w for w in ranked_terms(rec["article"]["text"]) if w not in keywords]
    ranked = sorted(entities.items(), key=lambda kv: (-kv[1], kv[0][0]))
    return {"entities": [[n, t, v] for (n, t), v in ranked], "keywords": keywords, "titles": titles} \
        if ranked else {}


def _stream(paths: list[str]) -> Iterator[dict]:
    """The records of the parsed files, one at a time (StagingCorrupt naming a damaged file)."""
    for path in paths:
        with storage.at(path).open("r", encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise StagingCorrupt(f"staging file {path} is corrupt at line {n}: {exc}; "
                                         "the next run plans afresh") from None


def relate(settings: Settings, run_id: str, parsed_paths: list[str]) -> str:
    """Dedupe, score feed items, give every URL its ledger state and frontier fields; write the batch
    (streaming: memory holds no article text beyond the seeds'). Returns the batch folder."""
    index = RunIndex.build(_stream(parsed_paths))
    profile = seed_profile(_seed_texts(_stream(parsed_paths), RawStore(settings.data_dir), settings.spacy_model))
    writer = BatchWriter(staging_dir(settings, run_id) / "batch")
    for table, row in relate_rows(settings, run_id, lambda: _stream(parsed_paths), index, profile):
        writer.add(table, row)
    searches = staging_dir(settings, run_id) / "searches.jsonl"
    for row in read_records(searches) if searches.exists() else []:
        writer.add("searches", {**row, "requested_at": datetime.fromisoformat(row["requested_at"])})
    return str(writer.close())
