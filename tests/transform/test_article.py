from datetime import UTC, date, datetime

from tests.conftest import FIXTURES
from transform.article import NotArticle, clean_authors, extract_article, strip_site_suffix


def page(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_jsonld_article_metadata_and_clean_text():
    art = extract_article(page("article_jsonld.html"), "https://gazette.example/local/sea-wall-approved?utm_source=x")
    assert art.canonical_url == "https://gazette.example/local/sea-wall-approved"
    assert art.title == "Harbour council approves new sea wall"
    assert art.authors == ["Alys Penrose", "Gareth Moyle"]
    assert art.published_at == datetime(2022, 6, 14, 15, 30, tzinfo=UTC)
    assert art.published_source == "json-ld"
    assert art.modified_at == datetime(2022, 6, 15, 8, 0, tzinfo=UTC)
    assert art.language == "en"
    assert art.site_name == "The Estuary Gazette"
    lines = art.text.splitlines()
    assert lines[0].startswith("Councillors in Port Ardent voted")  # no headline, byline or caption
    assert lines[-1].startswith("The harbour authority will publish")
    for junk in ("cookies", "Read more", "How the storm unfolded", "Sign up", "More on Port Ardent", "Photo:",
                 "By Alys", "©", "Home"):
        assert junk not in art.text, junk


def test_meta_only_article():
    art = extract_article(page("article_meta_only.html"), "https://valleypost.example/t")
    assert art.canonical_url == "https://valleypost.example/transport/night-trains"  # og:url, tracking dropped
    assert art.title == "Night trains return to the valley line"
    assert art.authors == ["Dora Quint"]
    assert art.published_at == datetime(2022, 6, 14, 1, 15, tzinfo=UTC)  # -04:00 converted to UTC
    assert (art.published_day, art.published_offset_min) == (date(2022, 6, 13), -240)  # the publisher's day
    assert art.published_source == "time"
    assert art.language == "en"
    assert len(art.text.splitlines()) == 3


def test_date_from_url_when_page_has_none():
    art = extract_article(page("article_url_date.html"), "https://isles.example/2022/06/11/lighthouse-keeper")
    assert art.published_at == datetime(2022, 6, 11, tzinfo=UTC) and art.published_source == "url"
    assert art.authors == []
    assert not art.text.startswith("Lighthouse keeper retires")


def test_index_page_is_not_an_article():
    result = extract_article(page("index_page.html"), "https://gazette.example/local")
    assert isinstance(result, NotArticle) and "no article markup" in result.reason


def test_malformed_html_does_not_crash():
    result = extract_article("<html><head><title>Broken<body><div><p>Unclosed <b>tags <<<>>> &&&", "https://x.example/")
    assert isinstance(result, NotArticle)


def test_title_suffix_and_author_cleaning():
    assert strip_site_suffix("Storm hits coast | Daily Tide", "Daily Tide") == "Storm hits coast"
    assert strip_site_suffix("Daily Tide: Storm hits coast", "Daily Tide") == "Storm hits coast"
    assert strip_site_suffix("Storm - hits coast", None) == "Storm - hits coast"
    assert clean_authors(["By Ann Lee and Bo Chan", "Ann Lee", "Email the author", "Staff 2022-06-01"]) == \
        ["Ann Lee", "Bo Chan"]


def test_boilerplate_page_keeps_only_the_story():
    art = extract_article(page("article_boilerplate.html"), "https://moor.example/news/quarry")
    lines = art.text.splitlines()
    assert lines[0].startswith("A plan to reopen the old quarry")  # no headline, standfirst or dateline
    assert lines[-1].startswith("Local councillor Idris Vaughan")
    assert "| Application lodged | March 2019 |" in lines  # tables belong to the story
    for junk in ("Quarry inquiry opens", "Valley road closures", "newsletter", "Follow us", "contributed",
                 "Tags", "Hollin Moor, wildlife", "Updated", "Inspectors side with villagers"):
        assert junk not in art.text, junk
    assert art.authors == ["Tamsin Hale"]  # no "By", job title or "Email the author"
    assert art.published_at == datetime(2022, 6, 12, 6, 0, tzinfo=UTC) and art.published_source == "meta"
    assert art.modified_at == datetime(2022, 6, 12, 8, 30, tzinfo=UTC) and art.modified_source == "meta"
    assert art.site_name == "The Moor Herald"
    assert art.title == "Quarry plan rejected after long inquiry"  # " - The Moor Herald" dropped


def test_the_printed_dateline_then_htmldate_are_the_last_resort_and_feed_date_comes_before_them():
    html = page("article_text_date.html")
    art = extract_article(html, "https://moor.example/news/choir")
    assert art.published_at == datetime(2021, 3, 3, tzinfo=UTC) and art.published_source == "dateline"
    without = html.replace('<p class="date">March 3, 2021</p>', "<p>March 3, 2021</p><p>and March 4, 2021</p>")
    assert extract_article(without, "https://moor.example/news/choir").published_source == "htmldate"
    assert not art.text.startswith("March 3, 2021")
    feed_day = datetime(2021, 3, 4, 9, 0, tzinfo=UTC)
    from_feed = extract_article(html, "https://moor.example/news/choir", feed_published=feed_day)
    assert from_feed.published_at == feed_day and from_feed.published_source == "feed"


def test_pages_with_several_stories_are_not_articles():
    live = extract_article(page("live_blog.html"), "https://moor.example/live")
    assert isinstance(live, NotArticle) and "liveblogposting" in live.reason
    listing = extract_article(page("listing.html"), "https://moor.example/")
    assert isinstance(listing, NotArticle) and "listing of 4 stories" in listing.reason
    gallery = extract_article(page("gallery.html"), "https://moor.example/g")
    assert isinstance(gallery, NotArticle) and "imagegallery" in gallery.reason


def test_language_and_canonical_variants():
    html = ('<html xml:lang="pt-BR"><head><link rel="canonical amphtml" href="/noticia/1?utm_medium=x">'
            '<meta property="og:type" content="article"></head><body><article>'
            + "<p>Uma frase longa o bastante para contar como texto principal da notícia de hoje.</p>" * 5
            + "</article></body></html>")
    art = extract_article(html, "https://noticias.example/amp/noticia/1")
    assert art.language == "pt"
    assert art.canonical_url == "https://noticias.example/noticia/1"


def _teasers(n: int, words: int) -> str:
    return "".join(f"<article><h3>Teaser {i}</h3><p>{'More on the harbour works. ' * (words // 5)}</p></article>"
                   for i in range(n))


def test_an_article_among_teaser_blocks_is_an_article_and_a_listing_says_why_it_is_not():
    story = " ".join(f"Sentence {i} of the council's report on the harbour wall repairs in Port Ardent."
                     for i in range(20))
    page_html = (f"<html><head><title>Harbour wall</title></head><body><h1>Harbour wall</h1><article><p>{story}</p>"
                 f"</article><aside>{_teasers(3, 20)}</aside></body></html>")
    art = extract_article(page_html, "https://moor.example/harbour-wall")
    assert not isinstance(art, NotArticle) and "Sentence 19" in art.text
    listing = extract_article(f"<html><body><h1>Latest</h1>{_teasers(4, 30)}</body></html>", "https://moor.example/")
    assert isinstance(listing, NotArticle)
    assert "listing of 4 stories" in listing.reason and "the largest has" in listing.reason
    # two blocks of similar size: neither is the page's one story
    twins = extract_article(f"<html><body>{_teasers(3, 200)}</body></html>", "https://moor.example/twins")
    assert isinstance(twins, NotArticle)


def test_names_that_are_not_a_persons_are_rejected():
    raw = ["Daily Tide", "dailytide.example", "admin", "Archiv anzeigen →", "Afficher mon profil complet",
           "edilson.la.rosa", "Ludwig van Beethoven", "gnaddrig", "Mei Lin Howard"]
    assert clean_authors(raw, site="Daily Tide", url="https://www.dailytide.example/news/1") == \
        ["Ludwig van Beethoven", "gnaddrig", "Mei Lin Howard"]  # particles and one-word handles stay


def test_a_visible_byline_names_the_author_where_the_markup_names_nobody():
    body = " ".join(f"Sentence {i} about the new ferry timetable for the island route." for i in range(30))
    html = (f"<html><head><title>Ferry</title><meta property='og:site_name' content='Daily Tide'></head><body>"
            f"<h1>Ferry timetable</h1><div class='byline'>By <span class='author-name'>Mei Lin Howard</span></div>"
            f"<article><p>{body}</p></article><footer><a rel='author' href='/team'>Daily Tide</a></footer>"
            f"</body></html>")
    art = extract_article(html, "https://dailytide.example/ferry")
    assert art.authors == ["Mei Lin Howard"]
    marked = html.replace("<head>", "<head><meta name='author' content='Bo Chan'>")
    assert extract_article(marked, "https://dailytide.example/ferry").authors == ["Bo Chan"]  # markup first


def test_a_story_outside_its_pages_article_blocks_is_an_article():
    story = " ".join(f"Paragraph {i}: the harbour board met on Tuesday to approve the new breakwater plan."
                     for i in range(25))
    html = (f"<html><head><title>Breakwater</title></head><body><h1>Breakwater approved</h1>"
            f"<div class='story'><p>{story}</p></div><section class='more'>{_teasers(3, 10)}</section></body></html>")
    art = extract_article(html, "https://moor.example/breakwater")
    assert not isinstance(art, NotArticle) and "Paragraph 24" in art.text
