"""The sample site itself: what the demo and the tests rely on."""

import gzip
import urllib.request

import feedparser

from sample_site.site import FEED_SLUGS, build_site, load_articles, write_site


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_articles_have_two_layouts_and_original_texts():
    arts = load_articles()
    assert {a["layout"] for a in arts} == {"a", "b"}
    assert len(arts) >= 10
    assert all(len(" ".join(a["body"]).split()) >= 60 for a in arts)


def test_robots_feed_and_conditional_get(site):
    status, _, body = get(site.url("/robots.txt"))
    assert status == 200 and b"Disallow: /private/" in body
    _, _, feed = get(site.url("/feed.xml"))
    entries = feedparser.parse(feed).entries
    assert [e.link.split("/news/")[1].split("?")[0] for e in entries] == FEED_SLUGS
    status, headers, _ = get(site.url("/news/xi-putin-call"))
    assert status == 200
    status, _, body = get(site.url("/news/xi-putin-call"), {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    status, _, _ = get(site.url("/news/xi-putin-call"), {"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304


def test_gzip_and_layout_b_charset(site):
    _status, headers, body = get(site.url("/news/beijing-omicron-lockdown"), {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(body)
    assert headers["Content-Type"] == "text/html"  # no charset: the page declares windows-1252 itself
    assert b"charset=windows-1252" in html and "\u2019".encode("cp1252") in html


def test_one_story_several_urls(site):
    pages = build_site(site.base_url)
    assert pages["/story/1002"].status == 301
    amp = pages["/amp/news/beijing-omicron-lockdown"].body.decode("cp1252")
    assert f'rel="canonical" href="{site.base_url}/news/beijing-omicron-lockdown"' in amp


def test_write_site(tmp_path):
    n = write_site(tmp_path, "http://127.0.0.1:8765")
    assert n > 20
    assert (tmp_path / "news" / "xi-putin-call" / "index.html").exists()
    assert (tmp_path / "robots.txt").read_text().startswith("User-agent")
