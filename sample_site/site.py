"""Generator of the offline sample news site: pages, feed, robots.txt and deliberately bad pages."""

from __future__ import annotations

import hashlib
import html
import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

SITE_NAME = "The Harbour Courier"
FEED_SLUGS = ["xi-putin-call", "kremlin-beijing-trade", "covid-zero-economy", "allotment-show",
              "ferry-timetable"]
STORY_IDS = {"1002": "beijing-omicron-lockdown"}
ROBOTS = "User-agent: *\nDisallow: /private/\n"
HUGE_BYTES = 6_000_000
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


@dataclass
class Page:
    """One response the server gives for a path."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None
    fail_first: int = 0  # answer 503 with Retry-After to the first N requests
    slow_s: float = 0.0  # trickle the body out over this many seconds

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


def load_articles() -> list[dict]:
    """The site's articles, from the TOML files shipped with this package."""
    folder = resources.files("sample_site") / "articles"
    items = [tomllib.loads(f.read_text(encoding="utf-8")) for f in folder.iterdir() if f.name.endswith(".toml")]
    return sorted(items, key=lambda a: a["slug"])


def _paragraph(text: str) -> str:
    out, pos = [], 0
    for m in _LINK.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        out.append(f'<a href="{html.escape(m[2])}">{html.escape(m[1])}</a>')
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "<p>" + "".join(out) + "</p>"


def _related_href(ref: str) -> str:
    if ref.startswith("amp:"):
        return f"/amp/news/{ref[4:]}"
    if ref.startswith("private/"):
        return f"/{ref}"
    return f"/news/{ref}"


def _related_items(art: dict, by_slug: dict[str, dict]) -> str:
    items = []
    for ref in art["related"]:
        slug = ref.removeprefix("amp:").split("?")[0].removeprefix("private/")
        title = by_slug[slug]["title"] if slug in by_slug else "Embargoed: briefing notes"
        items.append(f'<li><a href="{html.escape(_related_href(ref))}">{html.escape(title)}</a></li>')
    return "".join(items)


CHROME_TOP = """<div class="cookie-banner"><p>We use cookies to improve your experience.</p>
<a href="/privacy">Accept all cookies</a></div>
<header class="site-header"><a href="/">{site}</a><nav class="main-nav"><a href="/world/">World</a>
<a href="/china/">China</a><a href="/uk/">UK</a><a href="/business/">Business</a><a href="/login">Log in</a>
<a href="/subscribe">Subscribe</a></nav></header>"""
CHROME_BOTTOM = """<footer class="site-footer"><a href="/about">About us</a> <a href="/privacy">Privacy</a>
<a href="/terms">Terms</a> <p>© 2022 {site}. All rights reserved.</p></footer>"""


def _layout_a(art: dict, base: str, by_slug: dict[str, dict]) -> str:
    url = f"{base}/news/{art['slug']}"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": art["title"],
          "datePublished": art["published"], "dateModified": art.get("modified", art["published"]),
          "author": [{"@type": "Person", "name": n} for n in art["authors"]], "inLanguage": "en-GB",
          "publisher": {"@type": "Organization", "name": SITE_NAME}, "mainEntityOfPage": url}
    byline = " and ".join(f'<a rel="author" href="/author/{n.lower().replace(" ", "-")}">{html.escape(n)}</a>'
                          for n in art["authors"])
    paras = "\n".join(_paragraph(p) for p in art["body"])
    day = datetime.fromisoformat(art["published"]).strftime("%-d %B %Y")
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>{html.escape(art['title'])} | {SITE_NAME}</title>
<link rel="canonical" href="{url}">
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="/feed.xml">
<meta property="og:type" content="article"><meta property="og:title" content="{html.escape(art['title'])}">
<meta property="og:site_name" content="{SITE_NAME}"><meta property="og:url" content="{url}">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body>
{CHROME_TOP.format(site=SITE_NAME)}
<main><article>
<h1>{html.escape(art['title'])}</h1>
<p class="byline">By {byline}</p>
<time datetime="{art['published']}">{day}</time>
<figure><img src="/img/{art['slug']}.jpg" alt=""><figcaption>Image caption: file picture</figcaption></figure>
<div class="article-body">
{paras}
<aside class="newsletter-box"><h3>Sign up for our morning briefing</h3>
<p>Get the day's top stories in your inbox every morning.</p><a href="/newsletter">Sign up</a></aside>
</div>
<div class="share-tools"><a href="/share?u={art['slug']}">Share on Facebook</a></div>
</article>
<aside class="related-stories"><h2>Related stories</h2><ul>{_related_items(art, by_slug)}</ul></aside>
</main>
{CHROME_BOTTOM.format(site=SITE_NAME)}
</body></html>"""


def _curly(text: str) -> str:
    return text.replace("'", "\u2019")


def _layout_b(art: dict, base: str, by_slug: dict[str, dict], canonical_slug: str | None = None) -> str:
    url = f"{base}/news/{canonical_slug or art['slug']}"
    paras = "\n".join(_paragraph(_curly(p)) for p in art["body"])
    authors = " and ".join(art["authors"])
    return f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>{html.escape(_curly(art['title']))} - {SITE_NAME}</title>
<link rel="canonical" href="{url}">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<meta name="author" content="By {html.escape(authors)}">
<meta property="article:published_time" content="{art['published']}">
<meta property="og:type" content="article"><meta property="og:site_name" content="{SITE_NAME}">
<meta http-equiv="content-language" content="en">
</head><body>
{CHROME_TOP.format(site=SITE_NAME)}
<div id="story" class="story-wrap">
<h1 class="headline">{html.escape(_curly(art['title']))}</h1>
<div class="story-meta">By {html.escape(authors)} | {art['published'][:10]}</div>
<div class="story-body">
{paras}
</div>
<div class="more-on"><h3>More on this story</h3><ul>{_related_items(art, by_slug)}</ul></div>
<div class="social-share"><a href="/share?u={art['slug']}">Share</a></div>
</div>
{CHROME_BOTTOM.format(site=SITE_NAME)}
</body></html>"""


def _index(title: str, arts: list[dict]) -> str:
    items = "".join(f'<li><a href="/news/{a["slug"]}">{html.escape(a["title"])}</a></li>' for a in arts)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | {SITE_NAME}</title><meta property="og:type" content="website"></head>
<body>{CHROME_TOP.format(site=SITE_NAME)}<main><h1>{html.escape(title)}</h1><ul>{items}</ul></main>
{CHROME_BOTTOM.format(site=SITE_NAME)}</body></html>"""


def _feed(base: str, by_slug: dict[str, dict], slugs: list[str]) -> str:
    items = []
    for slug in slugs:
        art = by_slug[slug]
        link = f"{base}/news/{slug}?utm_source=rss&amp;utm_medium=feed"
        date = format_datetime(datetime.fromisoformat(art["published"]))
        items.append(f"<item><title>{xml_escape(art['title'])}</title><link>{link}</link>"
                     f"<pubDate>{date}</pubDate><guid>{base}/news/{slug}</guid></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{SITE_NAME}</title>'
            f"<link>{base}/</link><description>Latest stories</description>{''.join(items)}</channel></rss>")


def _bad_pages(base: str) -> dict[str, Page]:
    huge = b"<html><body><article><p>" + b"filler words " * (HUGE_BYTES // 13) + b"</p></article></body></html>"
    binary = bytes((i * 7919 + 13) % 256 for i in range(20_000))
    private = (f'<html><head><title>Links</title></head><body><article><h1>Links</h1>'
               f'<p><a href="http://127.0.0.2:{base.rsplit(":", 1)[-1]}/news/xi-putin-call">elsewhere</a></p>'
               "</article></body></html>")
    return {
        "/bad/malformed": Page(b"<html><head><title>Broken<body><div><p>Unclosed <b>tags <<<>>> &&&"
                               b"<article><p>half a sentence"),
        "/bad/binary": Page(binary),
        "/bad/huge": Page(huge),
        "/bad/loop": Page(status=302, headers={"Location": "/bad/loop2"}),
        "/bad/loop2": Page(status=302, headers={"Location": "/bad/loop"}),
        "/bad/private-link": Page(private.encode()),
        "/bad/missing": Page(b"<h1>Not found</h1>", status=404),
        "/bad/flaky": Page(b"<html><body><p>Recovered.</p></body></html>", fail_first=2),
        "/bad/slow": Page(b"<html><body>" + b"<p>slow</p>" * 200 + b"</body></html>", slow_s=3.0),
        "/bad/report.pdf": Page(b"%PDF-1.4\n1 0 obj << /Title (Quarterly report) >> endobj\ntrailer << >>\n%%EOF\n",
                                content_type="application/pdf"),
    }


def build_site(base_url: str, edition: int = 0) -> dict[str, Page]:
    """Every path of the site rendered for the given base URL (e.g. http://127.0.0.1:8765); edition > 0
    is the living site after that many editions (sample_site.living)."""
    from sample_site.living import FEED_SIZE, apply_edition

    base = base_url.rstrip("/")
    arts, newest, removed = apply_edition(load_articles(), edition)
    by_slug = {a["slug"]: a for a in arts}
    feed_slugs = (newest + FEED_SLUGS)[:FEED_SIZE] if edition else FEED_SLUGS
    pages: dict[str, Page] = {}
    for art in arts:
        stamp = datetime.fromisoformat(art.get("modified", art["published"]))
        if art["layout"] == "a":
            pages[f"/news/{art['slug']}"] = Page(_layout_a(art, base, by_slug).encode(), last_modified=stamp)
        else:
            body = _layout_b(art, base, by_slug).encode("cp1252")
            pages[f"/news/{art['slug']}"] = Page(body, "text/html", last_modified=stamp)
        amp = _layout_b(art, base, by_slug, canonical_slug=art["slug"]).encode("cp1252")
        pages[f"/amp/news/{art['slug']}"] = Page(amp, "text/html", last_modified=stamp)
    for story_id, slug in STORY_IDS.items():
        pages[f"/story/{story_id}"] = Page(status=301, headers={"Location": f"{base}/news/{slug}"})
    embargo = {"slug": "embargoed-briefing", "title": "Embargoed briefing notes", "authors": ["Desk"],
               "published": "2022-06-15T00:00:00+00:00", "related": [],
               "body": ["This page is disallowed by robots.txt and must never be fetched."]}
    pages["/private/embargoed-briefing"] = Page(_layout_a(embargo, base, by_slug).encode())
    pages["/"] = Page(_index(SITE_NAME, arts).encode())
    pages["/topics/china"] = Page(_index("China", [a for a in arts if "Chin" in a["title"]]).encode())
    for path in ("/login", "/subscribe", "/about", "/privacy", "/terms", "/newsletter"):
        pages[path] = Page(_index(path.strip("/").title(), []).encode())
    pages["/robots.txt"] = Page(ROBOTS.encode(), "text/plain; charset=utf-8")
    pages["/feed.xml"] = Page(_feed(base, by_slug, feed_slugs).encode(), "application/rss+xml; charset=utf-8")
    pages.update(_bad_pages(base))
    for slug in removed:
        pages[f"/news/{slug}"] = pages[f"/amp/news/{slug}"] = Page(b"<h1>Gone</h1>", status=410)
    return pages


def write_site(folder: Path, base_url: str) -> int:
    """Write every 200 page of the site under `folder` (path/index.html style); return how many."""
    count = 0
    for path, page in build_site(base_url).items():
        if page.status != 200:
            continue
        target = Path(folder) / path.lstrip("/")
        if path.endswith("/") or "." not in target.name:
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.body)
        count += 1
    return count
