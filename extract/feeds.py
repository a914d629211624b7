"""RSS and Atom feeds, read with feedparser."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser

from core.canonical import canonical_url

TAG = re.compile(r"<[^>]+>")  # feedparser sanitises summaries; what is left of markup is dropped for a hint


@dataclass(frozen=True)
class FeedItem:
    """One feed entry: its canonical link, title, published time (UTC) if the feed gives one, and its
    summary as plain text (what the budget ranks the item by before fetching it)."""

    url: str
    title: str
    published_at: datetime | None
    summary: str = ""


def feed_items(body: bytes, feed_url: str) -> list[FeedItem]:
    """Entries of an RSS/Atom document; raises ValueError when it is not a feed at all."""
    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        raise ValueError(f"not a feed: {parsed.get('bozo_exception', 'unparseable')}")
    items, seen = [], set()
    for entry in parsed.entries:
        url = canonical_url(entry.get("link", ""), base=feed_url)
        if not url or url in seen:
            continue
        seen.add(url)
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime(*stamp[:6]).replace(tzinfo=UTC) if stamp else None
        summary = " ".join(TAG.sub(" ", html.unescape(entry.get("summary", "") or "")).split())[:1000]
        items.append(FeedItem(url=url, title=entry.get("title", ""), published_at=published, summary=summary))
    return items
