from extract.links import article_links, feed_links, looks_like_article

PAGE = """<html><head>
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
<link rel="alternate" type="application/atom+xml" href="https://news.example/atom.xml">
<link rel="alternate" hreflang="fr" href="/fr/">
</head><body>
<header><nav><a href="/world">World</a><a href="/login">Log in</a></nav></header>
<div class="cookie-consent"><a href="/cookies">Accept</a></div>
<article>
  <h1>Harbour bridge reopens</h1>
  <p>The bridge reopened after <a href="/news/bridge-repairs?utm_source=x">months of repairs</a>.</p>
  <p>Officials <a href="#footnote">noted</a> the cost. <a href="mailto:desk@news.example">Email us</a></p>
  <p>Read more: <a href="/news/ferry-fares">Ferry fares rise</a> | <a href="/news/tolls">Tolls return</a></p>
  <div class="share-tools"><a href="https://social.example/share?u=1">Share on Social</a></div>
  <aside class="newsletter"><a href="/newsletter">Sign up</a></aside>
</article>
<section class="related-coverage"><h2>Related</h2><a href="/news/harbour-history">A history</a></section>
<div><h3>More on this story</h3><ul><li><a href="/news/council-vote">Council vote</a></li></ul></div>
<footer><a href="/about">About us</a><a href="/news/footer-story">Footer story</a></footer>
</body></html>"""


def test_follows_body_and_related_modules_only():
    links = {link.url: link.where for link in article_links(PAGE, "https://news.example/news/bridge")}
    assert links == {
        "https://news.example/news/bridge-repairs": "body",
        "https://news.example/news/ferry-fares": "related",
        "https://news.example/news/tolls": "related",
        "https://news.example/news/harbour-history": "related",
        "https://news.example/news/council-vote": "related",
    }


def test_feed_autodiscovery():
    assert feed_links(PAGE, "https://news.example/news/bridge") == [
        "https://news.example/rss.xml", "https://news.example/atom.xml"]


def test_article_test_for_following_links():
    assert looks_like_article(PAGE)
    assert looks_like_article('<script type="application/ld+json">{"@type": "NewsArticle"}</script>')
    assert not looks_like_article('<html><meta property="og:type" content="website"><ul><li>a</li></ul></html>')
