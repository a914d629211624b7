"""The sample site's other publishers: two more hosts (another port each) carrying their versions of the
seed story (a verbatim wire copy, a lightly edited copy, an own report), a news sitemap on the seed's host
and two local search endpoints (GDELT DOC 2.0 artlist JSON, and RSS), for cross-publisher discovery.

`SampleNetwork` serves all three hosts; the seed host also answers:
- /robots.txt with a `Sitemap:` line, and /sitemap_news.xml (Google News extension) listing its articles,
  one of which (xi-putin-readouts-compared) nothing links to;
- /api/v2/doc/doc?query=...&mode=artlist&format=json (GDELT's artlist format) and /rss/search?q=...;
- /api/fail429/doc and /rss/fail500 that always answer 429 and 500 (a provider that is down).
The local search engine is loose on purpose: an article matches when it contains any quoted phrase or
term of the query (GDELT itself requires all), ranked by how many it contains, so an unrelated article
that mentions a name in passing comes back too and has to be judged irrelevant."""

from __future__ import annotations

import html
import json
import re
import tomllib
from datetime import UTC, datetime
from email.utils import format_datetime
from importlib import resources
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape as xml_escape

from sample_site.server import SampleSite
from sample_site.site import ROBOTS, SITE_NAME, Page, build_site, load_articles

PUBLISHERS = {"courier": SITE_NAME, "lakeside": "The Lakeside Post", "northern": "The Northern Ledger"}
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def network_articles() -> list[dict]:
    """The network's articles (sample_site/articles/network), copies derived from their source article."""
    folder = resources.files("sample_site") / "articles" / "network"
    items = [tomllib.loads(f.read_text(encoding="utf-8")) for f in folder.iterdir() if f.name.endswith(".toml")]
    by_slug = {a["slug"]: a for a in load_articles()}
    for art in items:
        if "derive" in art:
            art["body"] = _derived(by_slug[art["derive"]]["body"], art)
    return sorted(items, key=lambda a: (a["publisher"], a["slug"]))


def _derived(source: list[str], art: dict) -> list[str]:
    """A copy of a source article's paragraphs: links reduced to their text, 'Read more' lines left out,
    then the copy's edits (replacements, dropped paragraphs by index, appended paragraphs)."""
    paras = [_LINK.sub(r"\1", p) for p in source if not p.startswith("Read more")]
    for old, new in art.get("replace", []):
        paras = [p.replace(old, new) for p in paras]
    paras = [p for i, p in enumerate(paras) if i not in set(art.get("drop", []))]
    return paras + list(art.get("append", []))


def _page(art: dict, base: str) -> str:
    site = PUBLISHERS[art["publisher"]]
    url = f"{base}/{art['slug']}"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": art["title"],
          "datePublished": art["published"], "author": [{"@type": "Person", "name": n} for n in art["authors"]],
          "publisher": {"@type": "Organization", "name": site}, "mainEntityOfPage": url}
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in art["body"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(art['title'])} - {site}</title>
<link rel="canonical" href="{url}"><meta property="og:type" content="article">
<meta property="og:site_name" content="{site}"><meta property="og:title" content="{html.escape(art['title'])}">
<script type="application/ld+json">{json.dumps(ld)}</script></head><body>
<header><a href="/">{site}</a> <nav><a href="/world/">World</a> <a href="/local/">Local</a></nav></header>
<main><article><h1>{html.escape(art['title'])}</h1><p class="byline">By {html.escape(', '.join(art['authors']))}</p>
<div class="body">{paras}</div></article></main>
<footer><p>© 2022 {site}</p><a href="/about">About</a></footer></body></html>"""


def article_url(art: dict, bases: dict[str, str]) -> str:
    path = f"/news/{art['slug']}" if art["publisher"] == "courier" else f"/{art['slug']}"
    return bases[art["publisher"]] + path


def publisher_pages(publisher: str, base: str) -> dict[str, Page]:
    """Every page of one of the other publishers' hosts."""
    arts = [a for a in network_articles() if a["publisher"] == publisher]
    pages = {f"/{a['slug']}": Page(_page(a, base).encode(),
                                   last_modified=datetime.fromisoformat(a["published"])) for a in arts}
    items = "".join(f'<li><a href="/{a["slug"]}">{html.escape(a["title"])}</a></li>' for a in arts)
    pages["/"] = Page(f"<html><head><title>{PUBLISHERS[publisher]}</title></head><body><ul>{items}</ul>"
                      "</body></html>".encode())
    pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /admin/\n", "text/plain; charset=utf-8")
    return pages


def _searchable(bases: dict[str, str]) -> list[dict]:
    arts = [{**a, "publisher": "courier"} for a in load_articles()] + network_articles()
    return [{"url": article_url(a, bases), "title": a["title"], "published": a["published"],
             "text": " ".join([a["title"], *a["body"]]).lower(), "site": PUBLISHERS[a["publisher"]]}
            for a in arts]


def search(query: str, bases: dict[str, str]) -> list[dict]:
    """The loose local search: articles containing any phrase or term of the query, best first."""
    parts = [p.lower() for p in re.findall(r'"([^"]+)"|(\S+)', query) for p in p if p]
    parts = [p for p in parts if ":" not in p]  # operators such as sourcelang:english
    hits = []
    for art in _searchable(bases):
        score = sum(1 for p in parts if re.search(r"\b" + re.escape(p) + r"\b", art["text"]))
        if score:
            hits.append((-score, art["published"], art))
    return [a for _, _, a in sorted(hits, key=lambda h: (h[0], h[1], h[2]["url"]))]


def _seendate(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def gdelt_answer(query_string: str, bases: dict[str, str]) -> Page:
    params = parse_qs(query_string)
    if params.get("mode", [""])[0].lower() != "artlist" or params.get("format", [""])[0].lower() != "json":
        return Page(b"Invalid mode or format.", "text/html")
    query = params.get("query", [""])[0]
    if len(query.strip()) < 3:
        return Page(b"The specified phrase is too short.", "text/html")  # GDELT answers errors as text
    limit = int(params.get("maxrecords", ["75"])[0])
    items = [{"url": a["url"], "url_mobile": "", "title": a["title"], "seendate": _seendate(a["published"]),
              "socialimage": "", "domain": urlsplit(a["url"]).netloc, "language": "English",
              "sourcecountry": "United Kingdom"} for a in search(query, bases)[:limit]]
    return Page(json.dumps({"articles": items}).encode(), "application/json; charset=utf-8")


def rss_answer(query_string: str, bases: dict[str, str]) -> Page:
    query = parse_qs(query_string).get("q", [""])[0]
    items = "".join(
        f"<item><title>{xml_escape(a['title'])}</title><link>{xml_escape(a['url'])}</link>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(a['published']))}</pubDate>"
        f"<source>{xml_escape(a['site'])}</source></item>" for a in search(query, bases))
    body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Search: '
            f"{xml_escape(query)}</title><link>{bases['courier']}/</link>{items}</channel></rss>")
    return Page(body.encode(), "application/rss+xml; charset=utf-8")


def news_sitemap(bases: dict[str, str]) -> str:
    arts = [{**a, "publisher": "courier"} for a in load_articles()] + \
        [a for a in network_articles() if a["publisher"] == "courier"]
    urls = "".join(
        f"<url><loc>{xml_escape(article_url(a, bases))}</loc><news:news><news:publication>"
        f"<news:name>{SITE_NAME}</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{a['published']}</news:publication_date>"
        f"<news:title>{xml_escape(a['title'])}</news:title></news:news></url>" for a in arts)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')


def seed_host_pages(base: str, edition: int, bases: dict[str, str]) -> dict[str, Page]:
    """The seed host's pages with the network's additions (sitemap, the sitemap-only article)."""
    pages = build_site(base, edition)
    pages["/robots.txt"] = Page(f"{ROBOTS}Sitemap: {base}/sitemap_news.xml\n".encode(), "text/plain; charset=utf-8")
    pages["/sitemap_news.xml"] = Page(news_sitemap(bases).encode(), "application/xml; charset=utf-8")
    for art in network_articles():
        if art["publisher"] == "courier":
            pages[f"/news/{art['slug']}"] = Page(_page(art, base).encode(),
                                                 last_modified=datetime.fromisoformat(art["published"]))
    pages["/api/fail429/doc"] = Page(b"Please limit requests to one every 5 seconds", "text/plain", status=429)
    pages["/rss/fail500"] = Page(b"internal error", "text/plain", status=500)
    return pages


class SampleNetwork:
    """The seed's host and two other publishers' hosts, served together; use as a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, edition: int = 0, other_ports: tuple[int, int] = (0, 0)):
        self.seed_site = SampleSite(host, port, edition)
        self.sites = {"courier": self.seed_site, "lakeside": SampleSite(host, other_ports[0]),
                      "northern": SampleSite(host, other_ports[1])}
        self.bases = {name: site.base_url for name, site in self.sites.items()}
        for name in ("lakeside", "northern"):
            self.sites[name].pages = publisher_pages(name, self.bases[name])
        bases = self.bases
        self.seed_site.builder = lambda base, ed: seed_host_pages(base, ed, bases)
        self.seed_site.pages = seed_host_pages(self.seed_site.base_url, edition, bases)
        self.seed_site.dynamic = {"/api/v2/doc/doc": lambda qs: gdelt_answer(qs, bases),
                                  "/rss/search": lambda qs: rss_answer(qs, bases)}
        self.base_url = self.seed_site.base_url

    @property
    def gdelt_endpoint(self) -> str:
        return self.base_url + "/api/v2/doc/doc"

    @property
    def rss_endpoint(self) -> str:
        return self.base_url + "/rss/search?q={query}"

    def url(self, publisher: str, art_slug: str) -> str:
        art = next(a for a in network_articles() + [{**a, "publisher": "courier"} for a in load_articles()]
                   if a["slug"] == art_slug and a["publisher"] == publisher)
        return article_url(art, self.bases)

    def hits(self) -> list:
        return [h for site in self.sites.values() for h in site.hits]

    def advance(self) -> int:
        return self.seed_site.advance()

    def start(self) -> SampleNetwork:
        for site in self.sites.values():
            site.start()
        return self

    def stop(self) -> None:
        for site in self.sites.values():
            site.stop()

    def __enter__(self) -> SampleNetwork:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
