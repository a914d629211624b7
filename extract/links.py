"""Discovery inside a page: links in the article and its related-story modules, and advertised feeds."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from core.canonical import canonical_url

CHROME = re.compile(r"(^|[-_ ])(nav|navbar|menu|footer|masthead|header|cookie|consent|banner|subscribe|"
                    r"newsletter|signup|sign-up|login|paywall|share|sharing|social|comments?|breadcrumbs?)"
                    r"([-_ ]|$)", re.I)
RELATED = re.compile(r"related|more-on|more_on|read-?more|see-?also|recommended|further-reading", re.I)
RELATED_HEADING = re.compile(r"^\s*(read more|related|more on\b|see also|further reading|more from)", re.I)
SKIP_LINK = re.compile(r"log ?in|sign ?(in|up)|subscribe|register|my account|newsletter|privacy|terms of|"
                       r"cookie|contact us|about us|advertis|share on|print this", re.I)
SKIP_HREF = re.compile(r"^(mailto|javascript|tel|data):|/(login|signin|sign-in|signup|subscribe|register|"
                       r"account|newsletter|privacy|terms|cookies?|share|tag|tags|author|search)(/|$|\?)",
                       re.I)
ARTICLE_LD = re.compile(r'"@type"\s*:\s*\[?\s*"(News|Reportage|Analysis|Opinion)?(Article|BlogPosting)"')
FEED_TYPES = {"application/rss+xml", "application/atom+xml"}


@dataclass(frozen=True)
class Link:
    """A link worth following: its canonical URL and where in the page it was found."""

    url: str
    where: str  # "body" or "related"
    text: str


def _attr(tag: Tag, name: str) -> str:
    """An attribute's value as text (multi-valued ones such as class and rel joined by spaces)."""
    value = tag.get(name)
    return " ".join(value) if isinstance(value, list) else (value or "")


def _is_chrome(tag: Tag) -> bool:
    if tag.name in ("nav", "footer", "header", "form"):
        return True
    if tag.get("role") in ("navigation", "banner", "contentinfo"):
        return True
    marks = " ".join([_attr(tag, "class"), _attr(tag, "id")]).strip()
    return bool(marks and CHROME.search(marks) and not RELATED.search(marks))


def _is_related_module(tag: Tag) -> bool:
    marks = " ".join([_attr(tag, "class"), _attr(tag, "id"), _attr(tag, "aria-label")]).strip()
    if marks and RELATED.search(marks):
        return True
    if tag.name == "p":
        return bool(RELATED_HEADING.match(tag.get_text(" ", strip=True)))
    heading = tag.find(["h2", "h3", "h4"], recursive=False)
    return heading is not None and bool(RELATED_HEADING.match(heading.get_text(" ", strip=True)))


def _article_root(soup: BeautifulSoup) -> Tag:
    for selector in ("article", "[itemprop=articleBody]", "main", "[role=main]"):
        found = soup.select_one(selector)
        if found is not None:
            return found
    return soup.body or soup


def article_links(html: str, page_url: str) -> list[Link]:
    """Links inside the article body and its related-story modules, minus chrome, login and share links."""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(_is_chrome):
        if not tag.decomposed and not _is_related_module(tag):
            tag.decompose()
    related_roots = [t for t in soup.find_all(["aside", "section", "div", "ul", "p"]) if _is_related_module(t)]
    root = _article_root(soup)
    found: dict[str, Link] = {}
    for where, scopes in (("related", related_roots), ("body", [root])):
        for scope in scopes:
            for a in scope.find_all("a", href=True):
                link = _link(a, page_url, where)
                if link and link.url not in found:
                    found[link.url] = link
    return list(found.values())


def _link(a: Tag, page_url: str, where: str) -> Link | None:
    href = _attr(a, "href").strip()
    text = a.get_text(" ", strip=True)
    if not href or href.startswith("#") or SKIP_HREF.search(href) or SKIP_LINK.search(text):
        return None
    if "nofollow" in _attr(a, "rel").lower().split():
        return None
    url = canonical_url(href, base=page_url)
    if url is None or url == canonical_url(page_url):
        return None
    return Link(url=url, where=where, text=text)


def looks_like_article(html: str) -> bool:
    """Cheap test used before following a page's links: article markup (og:type, JSON-LD or <article>).

    Index and topic pages are hubs to everything; following them would leave the story."""
    soup = BeautifulSoup(html[:200_000], "lxml")
    og = soup.find("meta", attrs={"property": "og:type"})
    if isinstance(og, Tag) and _attr(og, "content").lower() == "article":
        return True
    if soup.find("article") is not None or soup.find(itemprop="articleBody") is not None:
        return True
    return any(ARTICLE_LD.search(s.string or "") for s in soup.find_all("script", type="application/ld+json"))


def feed_links(html: str, page_url: str) -> list[str]:
    """Feeds a page advertises with <link rel="alternate" type="application/rss+xml|atom+xml">."""
    soup = BeautifulSoup(html, "lxml")
    urls = []
    for link in soup.find_all("link", href=True):
        rels = _attr(link, "rel").lower().split()
        if "alternate" in rels and _attr(link, "type").lower() in FEED_TYPES:
            url = canonical_url(_attr(link, "href"), base=page_url)
            if url and url not in urls:
                urls.append(url)
    return urls
