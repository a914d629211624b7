"""Sitemaps through ultimate-sitemap-parser: news entries within sitemap_days, indexes, gzip, non-sitemaps."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from extract.sitemaps import looks_like_sitemap, sitemap_entries, usual_locations

NOW = datetime(2022, 6, 16, 12, 0, tzinfo=UTC)
NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://127.0.0.1:9/news/fresh?utm_source=sm</loc><news:news><news:publication><news:name>C</news:name>
<news:language>en</news:language></news:publication><news:publication_date>2022-06-15T09:30:00+01:00</news:publication_date>
<news:title>Fresh story</news:title></news:news></url>
<url><loc>http://127.0.0.1:9/news/lastmod-only</loc><lastmod>2022-06-16</lastmod></url>
<url><loc>http://127.0.0.1:9/news/old</loc><lastmod>2021-01-01</lastmod></url>
<url><loc>http://127.0.0.1:9/news/undated</loc></url>
</urlset>"""


def test_news_entries_within_the_days_are_kept_with_their_title_and_date():
    entries, children, left_out = sitemap_entries(NEWS, "http://127.0.0.1:9/sitemap_news.xml", 2, NOW)
    assert [(e.url, e.title) for e in entries] == [("http://127.0.0.1:9/news/fresh", "Fresh story"),
                                                  ("http://127.0.0.1:9/news/lastmod-only", "")]
    assert entries[0].published_at == datetime(2022, 6, 15, 8, 30, tzinfo=UTC)
    assert (children, left_out) == ([], 2)


def test_zero_days_keeps_every_entry_dated_or_not():
    entries, _, left_out = sitemap_entries(NEWS, "http://127.0.0.1:9/s.xml", 0, NOW)
    assert len(entries) == 4 and left_out == 0


def test_an_index_gives_its_child_sitemaps_and_gzip_is_read():
    # (the protocol wants absolute child URLs; usp leaves relative ones out with a warning)
    index = (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<sitemap><loc>http://127.0.0.1:9/s1.xml</loc></sitemap><sitemap><loc>http://127.0.0.1:9/s2.xml.gz</loc></sitemap>"
             b"</sitemapindex>")
    assert looks_like_sitemap(gzip.compress(index))
    entries, children, _ = sitemap_entries(gzip.compress(index), "http://127.0.0.1:9/index.xml", 2, NOW)
    assert entries == [] and children == ["http://127.0.0.1:9/s1.xml", "http://127.0.0.1:9/s2.xml.gz"]


def test_a_page_that_is_not_a_sitemap_is_an_error():
    assert not looks_like_sitemap(b"<html><body>hello</body></html>")
    with pytest.raises(ValueError, match="not a sitemap"):
        sitemap_entries(b"<html><body>hello</body></html>", "http://127.0.0.1:9/sitemap.xml", 2, NOW)


def test_usual_locations_are_on_the_page_host():
    assert usual_locations("http://127.0.0.1:9/news/a") == [
        "http://127.0.0.1:9/sitemap_news.xml", "http://127.0.0.1:9/news-sitemap.xml", "http://127.0.0.1:9/sitemap.xml"]
