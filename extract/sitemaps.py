"""Sitemaps, news sitemaps included, read with ultimate-sitemap-parser (usp) from bytes our client fetched.

Where: the `Sitemap:` lines of a seed host's robots.txt, else the usual locations (USUAL_PATHS), tried once
(they join the frontier like any URL: a sitemap found is read every cycle, a missing one is not asked
for again). A sitemap index's children are read the next fetch round. Entries are kept when their date
(Google News `news:publication_date`, else `lastmod`) is within `sitemap_days` of now; 0 keeps every
entry, dated or not. Each kept entry is a candidate with relation `sitemap`, scored for relevance after
fetching like a feed item."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

from core.canonical import canonical_url

USUAL_PATHS = ("/sitemap_news.xml", "/news-sitemap.xml", "/sitemap.xml")
MAX_UNZIPPED = 50_000_000  # the sitemap protocol's own cap on an uncompressed sitemap


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    title: str
    published_at: datetime | None


def looks_like_sitemap(body: bytes) -> bool:
    head = _unzip(body)[:2048].lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def _unzip(body: bytes) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
        data = fh.read(MAX_UNZIPPED + 1)
    if len(data) > MAX_UNZIPPED:
        raise ValueError(f"sitemap larger than {MAX_UNZIPPED} bytes uncompressed")
    return data


def usual_locations(page_url: str) -> list[str]:
    return [u for u in (canonical_url(urljoin(page_url, p)) for p in USUAL_PATHS) if u]


def sitemap_entries(body: bytes, sitemap_url: str, days: float,
                    now: datetime | None = None) -> tuple[list[SitemapEntry], list[str], int]:
    """(entries within `days`, child sitemap URLs, entries left out as too old or undated) of one sitemap
    document; ValueError when it is not a sitemap."""
    from usp.objects.sitemap import AbstractIndexSitemap, InvalidSitemap
    from usp.tree import sitemap_from_str

    text = _unzip(body).decode("utf-8", errors="replace")
    parsed = sitemap_from_str(text)
    if isinstance(parsed, InvalidSitemap):
        raise ValueError(f"not a sitemap: {parsed.reason.split(': ')[-1]}")
    if isinstance(parsed, AbstractIndexSitemap):
        children = [u for u in (canonical_url(s.url, base=sitemap_url) for s in parsed.sub_sitemaps) if u]
        return [], list(dict.fromkeys(children)), 0
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    entries, old, seen = [], 0, set()
    for page in parsed.all_pages():
        url = canonical_url(page.url, base=sitemap_url)
        if not url or url in seen:
            continue
        seen.add(url)
        story = page.news_story
        stamp = story.publish_date if story and story.publish_date else page.last_modified
        if stamp is not None and stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        if days and (stamp is None or stamp < since):
            old += 1
            continue
        entries.append(SitemapEntry(url, story.title if story else "", stamp.astimezone(UTC) if stamp else None))
    return entries, [], old
