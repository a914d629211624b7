"""Article metadata from one parsed lxml tree: JSON-LD first, then OpenGraph/meta tags, then the page.
The publication date is transform.dates' (it also reads the page's text)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from lxml import html as lxml_html

from core.canonical import canonical_url
from core.dates import utc

ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                 "opinionnewsarticle", "backgroundnewsarticle", "report", "socialmediaposting",
                 "techarticle", "scholarlyarticle"}
# Pages that carry several stories or updates: marked not_article rather than extracted as a mash-up.
NOT_SINGLE_STORY = {"collectionpage", "itemlist", "imagegallery", "mediagallery", "searchresultspage",
                    "liveblogposting"}
BYLINE_PREFIX = re.compile(r"^\s*(by|written by|words by|reporting by|posted by|von|par|por)\s+", re.I)
AUTHOR_NOISE = re.compile(r"(email the author|follow on \w+|twitter|facebook|@\w+|updated|published)", re.I)
JOB_TITLE = re.compile(r"\b(reporter|editor|correspondent|writer|columnist|contributor|staff|desk|"
                       r"journalist|producer|analyst)s?\b", re.I)
NOT_A_PERSON = re.compile(r"^(admin|administrator|webmaster|unknown author|guest)$", re.I)
DOMAIN_LIKE = re.compile(r"^[\w-]+(\.[\w-]+)+$")  # "kath.net", "edilson.la.rosa": a site or a slug
NAME_PARTICLES = frozenset({"von", "van", "der", "den", "de", "del", "della", "di", "da", "do", "dos", "du", "la",
                            "le", "bin", "ibn", "al", "el", "ter", "zu", "y", "e"})
# Rules of the author chain (bench/metadata.py switches each off): the visible byline (trafilatura's author
# selectors) where the page's markup names nobody, and the rejection of names that are not a person's.
AUTHOR_RULES = {"visible_byline": True, "not_a_person": True}
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "last-modified")


@dataclass
class Metadata:
    """What the page says about itself, each time in UTC with the place it was read from."""

    canonical_url: str | None = None
    title: str = ""
    site_name: str | None = None
    authors: list[str] = field(default_factory=list)
    modified_at: datetime | None = None
    modified_source: str | None = None
    language: str | None = None
    description: str | None = None
    article_body: str | None = None  # JSON-LD articleBody, if the page has one
    marked_article: bool = False  # JSON-LD Article type or og:type article
    page_types: set[str] = field(default_factory=set)
    article_object: dict = field(default_factory=dict)  # the JSON-LD Article object, {} when none
    meta: dict[str, str] = field(default_factory=dict)  # the page's <meta> tags (meta_tags)


def parse_html(html: str | bytes) -> lxml_html.HtmlElement | None:
    """Parse once with lxml; None for input lxml cannot make a document of."""
    if isinstance(html, str):
        html = re.sub(r"^\s*<\?xml[^>]*>", "", html)  # lxml refuses str with an encoding declaration
    try:
        return lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return None


def jsonld_objects(tree: lxml_html.HtmlElement) -> list[dict]:
    """Every JSON object in the page's JSON-LD scripts, @graph members included."""
    objs: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            objs.append(node)
            walk(node.get("@graph", []))

    for text in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            walk(json.loads(text))
        except (json.JSONDecodeError, TypeError, RecursionError):
            continue
    return objs


def types_of(obj: dict) -> set[str]:
    t = obj.get("@type", [])
    return {str(x).lower() for x in (t if isinstance(t, list) else [t])}


def meta_tags(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """<meta> name/property/itemprop/http-equiv (lower-cased) to content; the first one wins."""
    out: dict[str, str] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").lower()
        content = m.get("content")
        if key and content and key not in out:
            out[key] = content.strip()
    return out


def _names(value: object) -> list[str]:
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    return [str(value)] if value else []


def clean_authors(raw: list[str], site: str | None = None, url: str | None = None) -> list[str]:
    """Author names as a clean list: no "By", no "and" lists, no contact prompts, no dates, no duplicates;
    and no name that is not a person's (AUTHOR_RULES["not_a_person"]): the site's own name or domain, a
    domain or URL slug, "admin", or several words of which one is lowercase and not a name particle
    ("Archiv anzeigen", "Afficher mon profil complet": a link's text, not a name)."""
    out: list[str] = []
    for item in raw:
        item = item.split("|")[0]
        for part in re.split(r",|\band\b|&|;", BYLINE_PREFIX.sub("", item.strip())):
            name = AUTHOR_NOISE.sub("", BYLINE_PREFIX.sub("", part)).strip(" .:-\u2013\u2014")
            if name and not name.startswith("http") and len(name.split()) <= 5 and not JOB_TITLE.search(name) \
                    and not any(ch.isdigit() for ch in name) and name not in out \
                    and not (AUTHOR_RULES["not_a_person"] and _not_a_person(name, site, url)):
                out.append(name)
    return out


def _not_a_person(name: str, site: str | None, url: str | None) -> bool:
    folded = name.casefold()
    host = (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
    if folded in {(site or "").casefold(), host, host.split(".")[0]} or NOT_A_PERSON.match(name):
        return True
    if DOMAIN_LIKE.match(name):
        return True
    words = name.split()
    return len(words) >= 2 and any(w[:1].islower() and w not in NAME_PARTICLES for w in words)


def visible_byline(tree: lxml_html.HtmlElement) -> list[str]:
    """The byline shown on the page (trafilatura's author selectors: author and byline classes, rel and
    itemprop marks), for a page whose markup names no author."""
    from trafilatura.metadata import extract_author

    found = extract_author(tree)
    return [a for a in (found or "").split(";") if a.strip()]


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


def _text_of(tree: lxml_html.HtmlElement, xpath: str) -> str:
    found = tree.xpath(xpath)
    return " ".join(found[0].text_content().split()) if found else ""


def _modified(art: dict, meta: dict[str, str]) -> tuple[datetime | None, str | None]:
    if stamp := utc(art.get("dateModified")):
        return stamp, "json-ld"
    for key in MODIFIED_META:
        if stamp := utc(meta.get(key)):
            return stamp, "meta"
    return None, None


def _language(tree: lxml_html.HtmlElement, meta: dict[str, str], art: dict) -> str | None:
    raw = tree.get("lang") or tree.get("xml:lang") or meta.get("content-language") or meta.get("og:locale") \
        or art.get("inLanguage")
    if not raw or not isinstance(raw, str):
        return None
    return raw.replace("_", "-").split("-")[0].strip().lower() or None


def read_metadata(tree: lxml_html.HtmlElement, url: str) -> Metadata:
    """Everything but the main text, from one parsed page."""
    objs = jsonld_objects(tree)
    page_types = set().union(*(types_of(o) for o in objs)) if objs else set()
    art = next((o for o in objs if types_of(o) & ARTICLE_TYPES), {})
    meta = meta_tags(tree)
    canon_href = tree.xpath('//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href')
    canon = (canonical_url(canon_href[0], base=url) if canon_href and url else None) \
        or (canonical_url(meta.get("og:url", ""), base=url) if url else None) or canonical_url(url or "")
    publisher = _names(art.get("publisher"))
    site = meta.get("og:site_name") or (publisher[0] if publisher else None)
    headline = art.get("headline") if isinstance(art.get("headline"), str) else None
    title = headline or meta.get("og:title") or meta.get("twitter:title") or _text_of(tree, "//h1") \
        or _text_of(tree, "//title")
    raw_authors = _names(art.get("author")) or ([meta["author"]] if meta.get("author") else []) \
        or [a.text_content() for a in tree.xpath('//a[@rel="author"]')[:3]]
    authors = clean_authors(raw_authors, site, url)
    if not authors and AUTHOR_RULES["visible_byline"]:
        authors = clean_authors(visible_byline(tree), site, url)
    modified, mod_src = _modified(art, meta)
    body = art.get("articleBody")
    return Metadata(
        canonical_url=canon, title=strip_site_suffix(str(title), site), site_name=site,
        authors=authors,
        modified_at=modified, modified_source=mod_src, language=_language(tree, meta, art),
        description=meta.get("description") or meta.get("og:description"),
        article_body=body if isinstance(body, str) and body.strip() else None,
        marked_article=bool(art) or meta.get("og:type", "").lower() == "article", page_types=page_types,
        article_object=art, meta=meta,
    )
