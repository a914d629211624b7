"""Publication dates (transform/dates.py): the UTC instant and the publisher's stated day, the article's own
<time>, the cross-checks, and htmldate's extensive search as the last resort. Pages written here."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from transform.dates import Published, find_published, stated, url_day
from transform.metadata import parse_html, read_metadata


def published(html: str, url: str = "https://paper.example/story", **rules: bool) -> Published:
    tree = parse_html(html)
    meta = read_metadata(tree, url)
    return find_published(tree, html, url, meta.article_object, meta.meta, rules=rules or None)


def test_a_stamp_keeps_its_own_day_beside_the_utc_instant():
    p = stated("2020-02-15T07:00+09:00")
    assert p.at == datetime(2020, 2, 14, 22, 0, tzinfo=UTC)
    assert (p.day, p.offset_min) == (date(2020, 2, 15), 540)
    naive = stated("2020-02-15 23:30")  # no zone: the day as written, the instant read as UTC
    assert (naive.day, naive.offset_min) == (date(2020, 2, 15), None)
    assert naive.at == datetime(2020, 2, 15, 23, 30, tzinfo=UTC)
    assert stated("March 3, 2021").day == date(2021, 3, 3)
    assert stated("not a date") is None and stated("") is None and stated("0001-01-01") is None


@pytest.mark.parametrize(("url", "day"), [("https://a.example/2023/11/08/story", date(2023, 11, 8)),
                                          ("https://a.example/2023-02-30/story", None),
                                          ("https://a.example/news/story-2023", None),
                                          ("https://a.example/2023/10/3-questions-for-tina/", None),
                                          ("https://a.example/2023/10/30-things-to-do", None),
                                          ("https://a.example/news/2023-10-03-council-vote", date(2023, 10, 3)),
                                          ("https://a.example/2023/1/9/", date(2023, 1, 9)),
                                          ("https://a.example/x?from=2023/11/08/", None)])
def test_url_day(url, day):
    assert url_day(url) == day


SIDEBAR_FIRST = """<html><body>
<aside class="most-read"><ul><li><a href="/old">An older story</a>
<time datetime="2021-01-02T09:00:00+00:00">2 Jan</time></li></ul></aside>
<main><div class="headline-block"><h1>Harbour wall approved</h1>
<p class="byline">By Alys Penrose, <time datetime="2022-06-14T15:30:00+01:00">14 June 2022</time></p></div>
<p>Councillors voted on Tuesday to build a new sea wall along the harbour front.</p>
<section class="comments"><time datetime="2022-06-20T10:00:00+00:00">reader comment</time></section></main>
</body></html>"""


def test_the_articles_own_time_not_the_first_on_the_page():
    own = published(SIDEBAR_FIRST)
    assert (own.day, own.source, own.offset_min) == (date(2022, 6, 14), "time", 60)
    assert published(SIDEBAR_FIRST, own_time=False).day == date(2021, 1, 2)  # the sidebar's teaser


def test_itemprop_date_published_comes_first_among_times():
    html = SIDEBAR_FIRST.replace("<main>", '<main><meta itemprop="datePublished" content="2022-06-13">')
    assert published(html).day == date(2022, 6, 13)


def test_json_ld_before_meta_before_time():
    html = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "H",'
            ' "datePublished": "2022-06-10T08:00:00Z"}</script>'
            '<meta property="article:published_time" content="2022-06-11T08:00:00Z"></head>'
            + SIDEBAR_FIRST[6:])
    p = published(html, visible_day=False)
    assert (p.source, p.day) == ("json-ld", date(2022, 6, 10))
    # the byline prints 14 June, which the article's <time> states too: the day the page states
    assert (published(html).at, published(html).day) == (p.at, date(2022, 6, 14))


def test_a_utc_stamp_takes_the_local_day_of_the_same_instant_stated_elsewhere():
    html = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "H",'
            ' "datePublished": "2019-10-18T22:04:00Z"}</script>'
            '<meta name="date" content="Sat, 19 Oct 2019 00:04:00 +0200"></head><body><h1>H</h1></body></html>')
    p = published(html)
    assert (p.at, p.day, p.offset_min, p.source) == (datetime(2019, 10, 18, 22, 4, tzinfo=UTC), date(2019, 10, 19),
                                                    120, "json-ld")
    assert published(html, local_offset=False).day == date(2019, 10, 18)


def test_the_urls_day_wins_over_a_utc_stamp_one_day_away_but_not_over_a_local_one():
    evening = '<html><head><meta property="article:published_time" content="2023-11-09T03:00:00Z"></head></html>'
    p = published(evening, "https://paper.example/2023/11/08/council-votes")
    assert (p.day, p.at) == (date(2023, 11, 8), datetime(2023, 11, 9, 3, 0, tzinfo=UTC))  # the instant is kept
    assert published(evening, "https://paper.example/2023/11/08/x", url_day=False).day == date(2023, 11, 9)
    local = evening.replace("2023-11-09T03:00:00Z", "2023-11-09T08:00:00+05:00")
    assert published(local, "https://paper.example/2023/11/08/x").day == date(2023, 11, 9)
    far = evening.replace("2023-11-09", "2023-11-20")  # not a zone slip: the stamp stands
    assert published(far, "https://paper.example/2023/11/08/x").day == date(2023, 11, 20)


def test_the_url_then_the_feed_then_htmldates_extensive_search():
    bare = "<html><body><h1>Lighthouse keeper retires</h1><p>After forty years on the rock.</p></body></html>"
    assert published(bare, "https://isles.example/2022/06/11/keeper").source == "url"
    tree = parse_html(bare)
    meta = read_metadata(tree, "https://isles.example/keeper")
    feed = find_published(tree, bare, "https://isles.example/keeper", meta.article_object, meta.meta,
                          feed_published=datetime(2022, 6, 12, 23, 0, tzinfo=UTC))
    assert (feed.source, feed.day) == ("feed", date(2022, 6, 12))
    # a date only in the text: htmldate's extensive search finds it, its quick search does not
    texty = bare.replace("After forty years", "Posted on 3 March 2021. After forty years")
    found = published(texty, "https://isles.example/keeper")
    assert (found.source, found.day) == ("htmldate", date(2021, 3, 3))
    assert published(texty, "https://isles.example/keeper", extensive=False).day is None
    assert published(bare, "https://isles.example/keeper") == Published()


REPUBLISHED = """<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry fares",
 "datePublished": "2021-12-14T15:41:07+01:00", "dateModified": "2022-02-04T15:33:00+01:00"}</script></head><body>
<div class="head"><h1>Ferry fares rise in spring 2022</h1><p class="meta">04.02.2022 | 15:33 Uhr</p>
<aside class="related"><a href="/x">Older: 3 January 2022</a></aside></div>
<p>The island ferry's fares rise in April.</p></body></html>"""


def test_the_day_printed_under_the_headline_wins_when_a_stamp_states_it_too():
    p = published(REPUBLISHED)
    assert (p.day, p.source, p.at) == (date(2022, 2, 4), "json-ld", datetime(2021, 12, 14, 14, 41, 7, tzinfo=UTC))
    assert published(REPUBLISHED, visible_day=False).day == date(2021, 12, 14)
    # printed in words, in English
    assert published(REPUBLISHED.replace("04.02.2022", "February 4, 2022")).day == date(2022, 2, 4)
    # a printed day no stamp states is not trusted (a caption, an event's date): the stamp stands
    assert published(REPUBLISHED.replace("04.02.2022", "05.02.2022")).day == date(2021, 12, 14)
    # two different days printed: no single dateline
    assert published(REPUBLISHED.replace("| 15:33 Uhr", "| updated 14.12.2021")).day == date(2021, 12, 14)


def test_a_day_printed_alone_under_the_headline_comes_before_htmldates_guess():
    html = ("<html><body><div><h1>Grab rider story was made up</h1><p>Von: Ann Lee | 31.10.23</p>"
            "<p>A spokesman said on Monday (30. Oktober 2023) that the video was staged, and that no rider had"
            " flown anywhere to buy rice for a customer.</p></div><p>More text.</p></body></html>")
    p = published(html)
    assert (p.day, p.source, p.at) == (date(2023, 10, 31), "dateline", datetime(2023, 10, 31, tzinfo=UTC))
    assert published(html, dateline=False).source == "htmldate"
