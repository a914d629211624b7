import pytest

from extract.feeds import feed_items

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>One</title><link>https://news.example/a?utm_source=rss</link>
<pubDate>Wed, 15 Jun 2022 09:30:00 +0100</pubDate></item>
<item><title>Dup</title><link>https://news.example/a</link></item>
<item><title>Rel</title><link>/b</link></item></channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>A</title><link href="https://news.example/atom-1"/><updated>2022-06-14T10:00:00Z</updated></entry>
</feed>"""


def test_rss_items_canonical_and_deduplicated():
    items = feed_items(RSS, "https://news.example/feed.xml")
    assert [i.url for i in items] == ["https://news.example/a", "https://news.example/b"]
    assert items[0].published_at.isoformat() == "2022-06-15T08:30:00+00:00"


def test_atom_items():
    items = feed_items(ATOM, "https://news.example/atom.xml")
    assert items[0].url == "https://news.example/atom-1"


def test_not_a_feed_is_a_clear_error():
    with pytest.raises(ValueError, match="not a feed"):
        feed_items(b"\x00\x01 definitely not xml", "https://news.example/feed")
