"""Raw HTML to an article: metadata from JSON-LD, OpenGraph and the page; main text from trafilatura."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import trafilatura
from lxml import html as lxml_html

from transform.boilerplate import PRUNE_XPATH, clean_text
from transform.dates import find_published
from transform.metadata import NOT_SINGLE_STORY, clean_authors, parse_html, read_metadata, strip_site_suffix
from transform.records import Article

MIN_WORDS = 10  # a page without article markup needs at least this much main text to be an article
LISTING_ARTICLES = 3  # a page without article markup holding this many <article> blocks is a listing...
MAIN_ARTICLE_WORDS = 150  # ...unless one of them holds this many words and twice the next one's: an article
# among teasers (related stories, comments). Derived on dates-dev's declined pages, judged on Dragnet's
# (articles all) and the sample site's listings (bench/declined.py).
LISTING_SHARE = 0.5  # ...and unless the blocks hold less than this share of the main text's words: the story
# is outside them (derived on the two Dragnet pages the rules above still declined; judged on dates-dev)
# Deviations from trafilatura's defaults, each judged by leave-sites-out cross-validation in
# bench/extraction.py (RULES there switches each one off):
PRECISION = True  # favor_precision: stricter pruning of side blocks (helps on 3 of 5 host folds, +0.016 F1)
COMMENTS = False  # reader comments are not the article
FAST_PATH_WORDS = 150  # speed: fast mode's text is kept when it has this many words (0: full mode only)
__all__ = ["Article", "NotArticle", "clean_authors", "extract_article", "main_text", "strip_site_suffix"]


@dataclass(frozen=True)
class NotArticle:
    """A page that is not an article (index, gallery, empty, ...), with the reason for the ledger."""

    reason: str


def main_text(html: str, url: str | None = None) -> str:
    """The article's main text, paragraphs separated by newlines, boilerplate and link lists removed.

    trafilatura runs first in its fast mode (its own extractor only); when that finds little text
    (under FAST_PATH_WORDS), the full mode also compares with its readability and jusText fallbacks,
    which rescue pages whose markup the fast path misreads, at about twice the cost. Across the
    benchmark's host folds the fast path changes no fold's F1: it is a speed rule, not a quality one."""
    def extract(fast: bool) -> str:
        return trafilatura.extract(html, url=url, fast=fast, include_comments=COMMENTS, include_images=False,
                                   favor_precision=PRECISION, deduplicate=False, prune_xpath=PRUNE_XPATH) or ""

    text = ""
    if FAST_PATH_WORDS:
        text = extract(fast=True)
        if len(text.split()) >= FAST_PATH_WORDS:
            return clean_text(text)
    text = extract(fast=False) or text
    return clean_text(text)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def drop_title_line(text: str, title: str, description: str | None = None) -> str:
    """Remove the headline, and a standfirst that repeats the page's description without ending a
    sentence, when the extractor kept them as the first lines of the body."""
    first, _, rest = text.partition("\n")
    if title and _same(first, title):
        first, _, rest = rest.partition("\n")
    is_dek = bool(description) and _same(first, description or "") and not first.rstrip().endswith((".", "!", "?", '"'))
    return rest if is_dek else (first + ("\n" + rest if rest else ""))


def _listing(tree: lxml_html.HtmlElement, main_words: int) -> str | None:
    """Why a page without article markup is a listing of stories, or None: LISTING_ARTICLES or more
    <article> blocks, none of them the page's one main article (MAIN_ARTICLE_WORDS), and together holding at
    least half as many words as the page's main text (a page whose story is outside its <article> blocks
    is an article with teasers beside it)."""
    blocks = tree.xpath("//article")
    if len(blocks) < LISTING_ARTICLES:
        return None
    sizes = sorted((len(b.text_content().split()) for b in blocks), reverse=True)
    if sizes[0] >= MAIN_ARTICLE_WORDS and sizes[0] >= 2 * sizes[1]:
        return None
    if sum(sizes) < LISTING_SHARE * main_words:
        return None
    return (f"a listing of {len(blocks)} stories without article markup (no <article> block holds the "
            f"page's story: the largest has {sizes[0]} words, the next {sizes[1]})")


def extract_article(html: str, url: str, feed_published: datetime | None = None) -> Article | NotArticle:
    """Parse one page; returns NotArticle with a reason for pages that carry no single story.

    The publication time and the publisher's stated day come from transform.dates (JSON-LD, meta tags,
    the article's own <time>, the URL, the feed item that listed the page (`feed_published`), and last
    htmldate's reading of the whole page)."""
    tree = parse_html(html)
    if tree is None:
        return NotArticle("not an HTML document")
    meta = read_metadata(tree, url)
    if "liveblogposting" in meta.page_types or (meta.page_types & NOT_SINGLE_STORY and not meta.marked_article):
        return NotArticle(f"a collection page ({', '.join(sorted(meta.page_types & NOT_SINGLE_STORY))})")
    published = find_published(tree, html, meta.canonical_url or url, meta.article_object, meta.meta,
                               feed_published)
    text = drop_title_line(main_text(html, url or None), meta.title, meta.description)
    words = len(text.split())
    if not meta.marked_article and (listing := _listing(tree, words)):
        return NotArticle(listing)
    if words == 0 or (not meta.marked_article and words < MIN_WORDS):
        return NotArticle(f"{'no article markup and ' if not meta.marked_article else ''}{words} words of main text")
    return Article(
        url=url, canonical_url=meta.canonical_url or url, title=meta.title, text=text, authors=meta.authors,
        published_at=published.at, published_source=published.source, published_day=published.day,
        published_offset_min=published.offset_min, modified_at=meta.modified_at,
        modified_source=meta.modified_source, language=meta.language, site_name=meta.site_name,
        description=meta.description,
    )
