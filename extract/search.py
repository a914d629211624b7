"""Search sources (`[[search]]`): news search providers asked for the seeds' story once per cycle.

The query is built from the seeds' profile (see build_query): their two most salient people or
organisations, quoted, and one distinctive term, e.g. `"Xi Jinping" "Vladimir Putin" sovereignty` (a
source's own `query` replaces it). Providers:

- gdelt: the GDELT DOC 2.0 API, `mode=artlist&format=json`, `maxrecords` <= 250, `timespan`, and
  `sourcelang:` in the query when set. GDELT answers one request per 5 s: `min_interval_s` spaces the
  requests to a provider's host (through the client's per-host clock), and a 429, 5xx or a non-JSON
  answer (GDELT reports a bad query as plain text) costs that source this cycle only.
- rss: any news-search RSS endpoint with a `{query}` placeholder, read with feedparser.

Requests go through the same polite client as every page (robots.txt, address policy, caps, deadline).
Each result is a candidate with relation `search`, its provider and query recorded, kept only if its
relevance after fetching reaches the threshold. Every request is logged (table `searches`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from core.canonical import canonical_url
from core.dates import utc
from core.frontier import SeedProfile
from extract.feeds import feed_items

if TYPE_CHECKING:
    from core.config import SearchSource
    from extract.client import Fetcher

QUERY_TYPES = ("PERSON", "ORG", "GPE", "NORP", "EVENT", "FAC", "LOC")
NAME_TYPES = ("PERSON", "ORG", "EVENT")
QUERY_ENTITIES = 2
_WORDS = re.compile(r"[\w'-]+")


@dataclass(frozen=True)
class SearchHit:
    url: str
    title: str
    published_at: datetime | None


def build_query(profile: SeedProfile) -> str | None:
    """The query for the seeds' profile; None when it has neither entities nor keywords.

    Names: the two most salient people, organisations or events (places and groups only when fewer
    than two of those), quoted. Term: the most frequent keyword that is also a word of a seed's headline
    (a headline names what is distinctive), else the most frequent keyword; never a word of the names."""
    ents = [(n, k) for n, k, *_ in profile.get("entities", []) if k in QUERY_TYPES and len(n) >= 3 and '"' not in n]
    ranked = [n for n, k in ents if k in NAME_TYPES] + [n for n, k in ents if k not in NAME_TYPES]
    names: list[str] = []
    for name in ranked:
        if name.casefold() not in {x.casefold() for x in names}:
            names.append(name)
    names = names[:QUERY_ENTITIES]
    in_names = {w for n in names for w in _WORDS.findall(n.casefold())}
    headline = {w for t in profile.get("titles", []) for w in _WORDS.findall(t.casefold())}
    terms = [t for t in profile.get("keywords", []) if t not in in_names]
    term = next((t for t in terms if t in headline), terms[0] if terms else None)
    parts = [f'"{n}"' for n in names] + ([term] if term else [])
    return " ".join(parts) or None


def request_url(source: SearchSource, query: str) -> str:
    if source.provider == "gdelt":
        q = f"{query} sourcelang:{source.sourcelang}" if source.sourcelang else query
        params = {"query": q, "mode": "artlist", "format": "json", "maxrecords": source.max_records,
                  "timespan": source.timespan, "sort": "datedesc"}
        sep = "&" if "?" in source.endpoint else "?"
        return source.endpoint + sep + urlencode(params)
    return source.endpoint.replace("{query}", quote(query, safe=""))


def parse_gdelt(body: bytes) -> list[SearchHit]:
    """Hits of a GDELT artlist JSON answer; ValueError when the answer is not one (GDELT's text errors)."""
    try:
        doc = json.loads(body.decode("utf-8", errors="replace") or "{}")
    except json.JSONDecodeError:
        raise ValueError(f"not a GDELT artlist answer: {body[:120].decode('utf-8', 'replace').strip()!r}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("articles", []), list):
        raise ValueError("not a GDELT artlist answer: no articles list")
    hits = []
    for item in doc.get("articles", []):
        raw = str(item.get("url") or "") if isinstance(item, dict) else ""
        url = canonical_url(raw) if raw.lower().startswith(("http://", "https://")) else None
        if url:
            hits.append(SearchHit(url, str(item.get("title", "")), utc(item.get("seendate"))))
    return hits


def parse_results(source: SearchSource, body: bytes, url: str) -> list[SearchHit]:
    if source.provider == "gdelt":
        return parse_gdelt(body)
    return [SearchHit(i.url, i.title, i.published_at) for i in feed_items(body, url)]


def run_search(fetcher: Fetcher, source: SearchSource, query: str, run_id: str) -> tuple[list[SearchHit], dict]:
    """Ask one source; (hits, the `searches` row). A provider that fails gives no hits, never an exception."""
    from core.config import redact

    url = request_url(source, query)
    res = fetcher.get(url)
    row = {"run_id": run_id, "provider": source.provider, "endpoint": redact(url), "query": query,
           "requested_at": res.fetched_at.astimezone(UTC).replace(tzinfo=None).isoformat(),
           "state": "failed", "http_status": res.status, "results": 0, "detail": res.detail}
    if res.state != "ok":
        return [], row
    try:
        hits = parse_results(source, res.body or b"", res.final_url)[:source.max_records]
    except (ValueError, OSError, EOFError) as exc:
        return [], {**row, "detail": str(exc)[:300]}
    return hits, {**row, "state": "ok", "results": len(hits), "detail": f"{len(hits)} results"}
