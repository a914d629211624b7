"""Pages declined as "not an article": how often extract_article declines an article, and why.

Usage: python bench/declined.py [DATA_DIR ...] [--no-sample-site] [--show N]

Every page of the article-extraction sets (../shared/data/article-extraction-*) is an article with a gold
body, so each page declined there is an article lost. The dates set (../shared/data/dates-dev) is mostly
articles and posts, with some home and section pages: its declines are printed with their reasons. The
sample site and network (sample_site) are ours: every page under /news/ and /amp/news/ is an article and
every other HTML page (home, topics, login, ...) is not; both kinds of mistake are counted there.

The listing rule's exception (transform.article.MAIN_ARTICLE_WORDS: one <article> block holding the page's
story among teasers) was derived on the dates set's declined pages and judged on the Dragnet set's
(articles all, never read page by page) and the sample site's listings.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_SETS = [SHARED / n for n in ("article-extraction-dev", "article-extraction-dragnet",
                                     "article-extraction-readability", "dates-dev")]
ARTICLE_PATH = re.compile(r"^/(amp/)?news/|^/private/|/\d{4}/\d{2}/\d{2}/")  # the network's article paths


def reason_kind(reason: str) -> str:
    """A reason without its numbers, to count reasons by kind."""
    return re.sub(r"\d+", "N", reason.split(" (")[0])


def declined_in(folder: Path) -> tuple[int, list[tuple[str, str]]]:
    """(pages, [(page id, reason)]) for a set folder (ground-truth.json, html/<id>.html.gz)."""
    from transform.article import NotArticle, extract_article

    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for pid, item in sorted(truth.items()):
        html = gzip.decompress((folder / "html" / f"{pid}.html.gz").read_bytes()).decode("utf-8", "replace")
        got = extract_article(html, item.get("url") or "")
        if isinstance(got, NotArticle):
            out.append((pid, got.reason))
    return len(truth), out


def sample_pages() -> dict[str, tuple[bool, str]]:
    """{url: (is an article, html)} for every HTML page of the sample network (no server needed)."""
    from sample_site.network import publisher_pages, seed_host_pages

    bases = {"courier": "http://127.0.0.1:8001", "lakeside": "http://127.0.0.1:8002",
             "northern": "http://127.0.0.1:8003"}
    sites = {"courier": seed_host_pages(bases["courier"], 0, bases),
             **{name: publisher_pages(name, bases[name]) for name in ("lakeside", "northern")}}
    return {bases[name] + path: (bool(ARTICLE_PATH.search(path)), page.body.decode("utf-8", "replace"))
            for name, pages in sites.items() for path, page in pages.items()
            if page.status == 200 and page.content_type.startswith("text/html") and not path.startswith("/bad/")}


def main(argv: list[str] | None = None) -> int:
    from transform.article import NotArticle, extract_article

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="*", type=Path, default=DEFAULT_SETS)
    ap.add_argument("--no-sample-site", dest="sample", action="store_false")
    ap.add_argument("--show", type=int, default=0, help="print up to N declined pages per set with their reason")
    args = ap.parse_args(argv)
    print(f"{'set':<34}{'pages':>7}{'declined':>10}{'share':>8}  reasons")
    for folder in args.data:
        if not (folder / "ground-truth.json").exists():
            print(f"{folder.name:<34}  (not found: {folder})")
            continue
        pages, declined = declined_in(folder)
        kinds = Counter(reason_kind(r) for _, r in declined)
        print(f"{folder.name:<34}{pages:>7}{len(declined):>10}{len(declined) / max(pages, 1):>8.3f}  "
              + "; ".join(f"{n} {k}" for k, n in kinds.most_common()))
        for pid, reason in declined[:args.show]:
            print(f"    {pid}: {reason}")
    if args.sample:
        site = sample_pages()
        wrong: Counter[str] = Counter()
        for url, (is_article, body) in site.items():
            refused = isinstance(extract_article(body, url), NotArticle)
            if is_article == refused:
                wrong["article declined" if is_article else "non-article stored"] += 1
                if args.show:
                    print(f"    {url}: {'declined' if refused else 'stored'}")
        articles = sum(a for a, _ in site.values())
        print(f"{'sample network':<34}{len(site):>7}{wrong['article declined']:>10}{'':>8}  "
              f"{articles} articles, {wrong['article declined']} declined; {len(site) - articles} other pages, "
              f"{wrong['non-article stored']} stored as articles")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
