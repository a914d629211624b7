"""The cycle's stages where the floors below meet: extract/ gives bytes, transform/ articles, warehouse/ rows.

expand runs a fetch round's planning (extract.crawl), first writing this run's seeds' profile for the
search sources when none is stored; parse_manifest turns one host's fetched records into articles (NER
batched per shard); relate (transform.relate, streaming) deduplicates across shards by canonical URL,
scores feed items against the seeds, and writes the Parquet batch; load_batch hands it to the single
writer (warehouse.load) with transform's near-duplicate and story placement. Each URL ends in exactly one
ledger state."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import storage
from core.config import Grouping
from core.dates import utc
from core.frontier import SeedProfile
from core.staging import (
    Record,
    Shard,
    read_known_entities,
    read_records,
    read_records_if_any,
    read_seed_profile,
    reads_kept_body,
    staging_dir,
    stream_records,
    write_records,
    write_seed_profile,
)
from extract import crawl
from extract.decode import page_html
from extract.errors import FetchFailed
from extract.rawstore import RawStore

# Each Airflow task is a fresh process that imports this module: what only one stage needs (spaCy and its
# stop words, trafilatura, pyarrow) is imported by that stage, so that expand and
# the other light tasks start in a fraction of a second.
if TYPE_CHECKING:
    from core.config import Settings
    from transform.article import NotArticle
    from transform.entities import Known
    from transform.records import Article
    from warehouse.grouping import Judge

def article_id(canonical: str) -> str:
    """Stable id of an article: derived from its canonical URL."""
    return hashlib.sha1(canonical.encode()).hexdigest()[:16]



def _ledger_state(rec: Record) -> tuple[str, str]:
    fetch, known = rec["fetch"], rec.get("known") or {}
    ok = fetch["state"] in ("ok", "not_modified")
    if rec.get("is_feed"):
        return ("feed", fetch["detail"]) if ok else (fetch["state"], fetch["detail"])
    if fetch["state"] == "not_modified":
        prior = fetch.get("prior_state")
        if prior in (None, "stored", "unchanged"):
            return "unchanged", "304 Not Modified: stored article kept"
        return prior, fetch.get("prior_detail") or f"304 Not Modified: still {prior}"
    from transform.relate import ARTICLE_STATES

    if fetch.get("status") in (404, 410) and known.get("state") in ARTICLE_STATES and known.get("article_id"):
        return "gone", f"{fetch['detail']}: the stored article is kept and marked removed"
    return fetch["state"], fetch.get("detail", "")


def _needs_parse(rec: Record, every_body: bool) -> bool:
    """A fresh body, or a 304 whose kept body is read again (core.staging.reads_kept_body: a stored page
    whose article is not in the warehouse; with `every_body`, any page with a body, fresh or kept)."""
    if rec.get("is_feed"):
        return False
    state = rec["fetch"]["state"]
    return state == "ok" or (state == "not_modified" and reads_kept_body(rec, every_body))


def _parse_one(rec: Record, store: RawStore) -> Article | NotArticle:
    from transform.article import NotArticle, extract_article

    try:
        html = page_html(store, rec["fetch"])
    except FetchFailed as exc:  # the reason, as the crawler gives it: not HTML, binary, body unreadable
        return NotArticle(exc.detail)
    return extract_article(html, rec["fetch"]["final_url"] or rec["url"], utc(rec.get("feed_published")))


def parse_records(records: list[Record], store: RawStore, model: str, every_body: bool = False,
                  known: Known = ()) -> list[Record]:
    """Attach an `article` (dict with `mentions`) or a ledger `outcome` to each fetched record; `known`:
    the entities the warehouse has confirmed (found where the model misses them)."""
    from transform.article import NotArticle
    from transform.entities import analyse

    parsed: list[tuple[Record, Article]] = []
    for rec in records:
        if not _needs_parse(rec, every_body):
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
    found = analyse([(a.title, a.text) for _, a in parsed], model, known=known)
    for (rec, art), entities in zip(parsed, found, strict=True):
        rec["article"] = _article_row(rec, art)
        rec["mentions"] = [m.record() for m in entities.mentions]
        rec["salience"] = [{"entity": name, "label": label, "salience": score, "in_headline": name in
                            entities.in_headline} for (name, label), score in entities.salience.items()]
    return records


def _article_row(rec: Record, art: Article) -> dict[str, Any]:
    row = asdict(art)
    for key in ("published_at", "modified_at", "published_day"):
        row[key] = row[key].isoformat() if row[key] else None
    row.update(article_id=article_id(art.canonical_url), word_count=len(art.text.split()),
               fetched_at=rec["fetch"]["fetched_at"], raw_sha256=rec["fetch"]["raw_sha256"])
    return row


def parse_manifest(settings: Settings, manifest: str) -> str:
    """Parse one fetched shard; return the path of its parsed JSON lines."""
    source = storage.at(manifest)
    records = parse_records(read_records(manifest), RawStore(settings.data_dir), settings.spacy_model,
                            known=read_known_entities(source.parent.parent))
    return str(write_records(source.parent.parent / "parsed" / source.name, records))


def _seed_texts(records: Iterable[Record], store: RawStore, model: str) -> list[tuple[list[str], str]]:
    """(entity names, text) of each seed: parsed this run, or re-read from the raw store if unchanged."""
    seeds = [r for r in records if r["relation"] == "seed"]
    unchanged = [r for r in seeds if "article" not in r and r["fetch"]["state"] == "not_modified"]
    parsed = [r for r in seeds + parse_records(unchanged, store, model, every_body=True) if "article" in r]
    return [([m["entity"] for m in r["mentions"]], r["article"]["text"]) for r in parsed]


def seed_search_profile(seeds: list[Record], store: RawStore, model: str) -> SeedProfile:
    """The seeds' profile for search queries and the budget's ranking, from their fetched pages (before
    they are stored)."""
    from transform.relevance import ranked_terms

    usable = [r for r in seeds if r.get("fetch", {}).get("state") in ("ok", "not_modified")]
    entities: dict[tuple[str, str], float] = {}
    keywords: list[str] = []
    titles: list[str] = []
    for rec in parse_records(usable, store, model, every_body=True):
        if "article" not in rec:
            continue
        titles.append(rec["article"]["title"])
        for s in rec["salience"]:
            key = (s["entity"], s["label"])
            entities[key] = max(entities.get(key, 0.0), s["salience"])
        keywords += [w for w in ranked_terms(rec["article"]["text"]) if w not in keywords]
    ranked = sorted(entities.items(), key=lambda kv: (-kv[1], kv[0][0]))
    return SeedProfile(entities=[[n, t, v] for (n, t), v in ranked], keywords=keywords, titles=titles) \
        if ranked else SeedProfile()


def relate(settings: Settings, run_id: str, parsed_paths: list[str]) -> str:
    """Dedupe, score feed items, give every URL its ledger state and frontier fields; write the batch
    (streaming: memory holds no article text beyond the seeds'). Returns the batch folder."""
    from transform.relate import RunIndex, relate_rows
    from transform.relevance import seed_profile
    from warehouse.batch import BatchWriter

    index = RunIndex.build(stream_records(parsed_paths))
    profile = seed_profile(_seed_texts(stream_records(parsed_paths), RawStore(settings.data_dir), settings.spacy_model))
    writer = BatchWriter(staging_dir(settings, run_id) / "batch")
    for table, row in relate_rows(settings, run_id, lambda: stream_records(parsed_paths), index, profile):
        writer.add(table, row)
    searches = staging_dir(settings, run_id) / "searches.jsonl"
    for search in read_records_if_any(searches):  # the search log, not URL records
        writer.add("searches", {**search, "requested_at": utc(search.get("requested_at"))})
    return str(writer.close())


def expand(settings: Settings, run_id: str, manifests: Sequence[str | None], round_no: int,
           progress: crawl.Progress = crawl.quiet) -> list[Shard]:
    """A fetch round after the first (extract.crawl.expand). Before round 2 ranks its candidates and asks
    the search sources, this run's seeds' profile is written when the warehouse has none stored yet (a
    first cycle): the seeds were fetched in round 1."""
    run_dir = staging_dir(settings, run_id)
    if round_no == 2 and not read_seed_profile(run_dir):
        seeds = [r for path in filter(None, manifests) for r in read_records(path) if r["relation"] == "seed"]
        write_seed_profile(run_dir, seed_search_profile(seeds, RawStore(settings.data_dir), settings.spacy_model))
    return crawl.expand(settings, run_id, manifests, round_no, progress)


def load_batch(db_path: str | Path, batch_dir: str | Path, run_id: str = "manual",
               grouping: Grouping | None = None, trend_day: str = "stated") -> dict[str, int]:
    """Load a batch in one transaction (warehouse.load), near-duplicates and stories placed by transform;
    `trend_day`: the config key of that name."""
    from warehouse import load

    return load.load_batch(db_path, batch_dir, run_id, grouping or Grouping(), judge(), trend_day)


def judge() -> Judge:
    """transform's near-duplicate and story decisions, as the warehouse's load asks for them."""
    from transform.grouping import MAX_PER_KEY, bands, keywords_are_keys, regroup
    from warehouse.grouping import Judge

    return Judge(regroup, bands, MAX_PER_KEY, keywords_are_keys)
