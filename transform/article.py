"""Raw HTML to an article: metadata from JSON-LD, OpenGraph and the page; main text from trafilatura."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import trafilatura
from bs4 import BeautifulSoup
from dateutil import parser as dateparser
from htmldate import find_date

from extract.canonical import canonical_url
from transform.boilerplate import clean_text

ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                 "opinionnewsarticle", "backgroundnewsarticle", "report", "webpage/article"}
MIN_WORDS = 80
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|-|$)")
BYLINE_PREFIX = re.compile(r"^\s*(by|written by|words by|reporting by)\s+", re.I)
AUTHOR_NOISE = re.compile(r"(email the author|follow on|twitter|@\w+|staff writer|correspondent$)", re.I)


@dataclass
class Article:
    """One news article: identity, metadata (UTC times with their source) and main text."""

    url: str
    canonical_url: str
    title: str
    text: str
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    published_source: str | None = None
    modified_at: datetime | None = None
    modified_source: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class NotArticle:
    """A page that is not an article (index, gallery, empty, ...), with the reason for the ledger."""

    reason: str


def _jsonld_objects(soup: BeautifulSoup) -> list[dict]:
    objs: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            objs.append(node)
            walk(node.get("@graph", []))

    for script in soup.find_all("script", type="application/ld+json"):
        try:
            walk(json.loads(script.string or ""))
        except (json.JSONDecodeError, TypeError):
            continue
    return objs


def _types(obj: dict) -> set[str]:
    t = obj.get("@type", [])
    return {str(x).lower() for x in (t if isinstance(t, list) else [t])}


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in soup.find_all("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").lower()
        if key and m.get("content") and key not in out:
            out[key] = m["content"].strip()
    return out


def _to_utc(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        stamp = dateparser.parse(value.strip())
    except (ValueError, OverflowError, TypeError):
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC)


def _names(value: object) -> list[str]:
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    return [str(value)] if value else []


def clean_authors(raw: list[str]) -> list[str]:
    """Author names as a clean list: no "By", no "and" lists, no contact prompts, no duplicates."""
    out: list[str] = []
    for item in raw:
        for part in re.split(r",|\band\b|&|\|", BYLINE_PREFIX.sub("", item)):
            name = AUTHOR_NOISE.sub("", part).strip(" .;:-")
            if name and len(name.split()) <= 5 and not any(ch.isdigit() for ch in name) and name not in out:
                out.append(name)
    return out


def strip_site_suffix(title: str, site: str | None) -> str:
    """Drop a trailing " | Site" / " - Site" (or a leading "Site: ") from a page title."""
    title = " ".join(title.split())
    if site:
        for sep in (" | ", " - ", " — ", " – ", " :: ", ": "):
            if sep != ": " and title.endswith(sep + site):
                return title[: -len(sep + site)].strip()
            if title.startswith(site + sep):
                return title[len(site + sep):].strip()
    return title


def _first_article_obj(objs: list[dict]) -> dict:
    for obj in objs:
        if _types(obj) & ARTICLE_TYPES:
            return obj
    return {}


def _published(art: dict, meta: dict[str, str], soup: BeautifulSoup, url: str
               ) -> tuple[datetime | None, str | None]:
    candidates = [
        ("json-ld", art.get("datePublished")),
        ("meta", meta.get("article:published_time") or meta.get("og:published_time")
         or meta.get("datepublished") or meta.get("pubdate") or meta.get("date")),
    ]
    time_tag = soup.find("time", datetime=True)
    candidates.append(("time", time_tag["datetime"] if time_tag else None))
    for source, value in candidates:
        if stamp := _to_utc(value):
            return stamp, source
    if m := URL_DATE.search(url):
        return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC), "url"
    found = find_date(str(soup), original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    if found:
        return datetime.fromisoformat(found).replace(tzinfo=UTC), "htmldate"
    return None, None


def _language(soup: BeautifulSoup, meta: dict[str, str], art: dict) -> str | None:
    html = soup.find("html")
    raw = (html.get("lang") if html else None) or meta.get("content-language") or art.get("inLanguage")
    if not raw or not isinstance(raw, str):
        return None
    return raw.split("-")[0].split("_")[0].strip().lower() or None


def main_text(html: str, url: str | None = None) -> str:
    """The article's main text, paragraphs separated by newlines, boilerplate and link lists removed."""
    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False,
                               include_images=False, favor_precision=True, deduplicate=False) or ""
    return clean_text(text)


def drop_title_line(text: str, title: str) -> str:
    """Remove the headline when the extractor kept it as the first line of the body."""
    first, _, rest = text.partition("\n")
    return rest if title and first.strip().casefold() == title.strip().casefold() else text


def extract_article(html: str, url: str) -> Article | NotArticle:
    """Parse one page; returns NotArticle with a reason for pages that carry no single story."""
    soup = BeautifulSoup(html, "lxml")
    objs = _jsonld_objects(soup)
    art = _first_article_obj(objs)
    meta = _meta(soup)
    canon_tag = soup.find("link", rel="canonical", href=True)
    canon = (canonical_url(canon_tag["href"], base=url) if canon_tag else None) \
        or canonical_url(meta.get("og:url", ""), base=url) or canonical_url(url) or url
    site = meta.get("og:site_name") or (_names(art.get("publisher")) or [None])[0]
    title_tag = soup.find("title")
    h1 = soup.find("h1")
    title = art.get("headline") or meta.get("og:title") or (h1.get_text(" ", strip=True) if h1 else "") \
        or (title_tag.get_text(" ", strip=True) if title_tag else "")
    title = strip_site_suffix(str(title), site)
    text = drop_title_line(main_text(html, url), title)
    is_marked = bool(art) or meta.get("og:type", "").lower() == "article"
    words = len(text.split())
    if not is_marked and (words < MIN_WORDS or soup.find("article") is None):
        return NotArticle(f"no article markup and {words} words of main text")
    if words < 20:
        return NotArticle(f"only {words} words of main text")
    published, pub_src = _published(art, meta, soup, canon)
    modified = _to_utc(art.get("dateModified") or meta.get("article:modified_time"))
    raw_authors = _names(art.get("author")) or ([meta["author"]] if meta.get("author") else [])
    authors = clean_authors(raw_authors)
    return Article(
        url=url, canonical_url=canon, title=title, text=text, authors=authors,
        published_at=published, published_source=pub_src, modified_at=modified,
        modified_source=("json-ld" if art.get("dateModified") else "meta") if modified else None,
        language=_language(soup, meta, art), site_name=site,
        description=meta.get("description") or meta.get("og:description"),
    )
