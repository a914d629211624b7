"""Publication-date benchmark: newsmon's date chain against htmldate on the same pages, in one run.

Usage: python bench/dates.py [DATA_DIR] [--folds K] [--limit N] [--misses FOLD]

DATA_DIR holds ground-truth.json ({id: {"url", "date" (the day the page states), ...}}) and
html/<id>.html.gz (default: ../shared/data/dates-dev). Pages without a gold date are left out.

Scored per page: the exact calendar day. newsmon gives two answers (transform/dates.py): the publisher's
stated day (`published_day`, compared with the gold) and the UTC day of the instant (`published_at`, what
trends counted by before the stated day existed); both are printed. htmldate 1.x
(`find_date(html, url=..., original_date=True)`, extensive search on, its own defaults otherwise) is the
baseline. "none" is the share of pages with no date at all.

Folds: the pages are split into K folds by host (a site's pages are all in one fold; the fold is a hash of
the host). Every figure is printed per fold, and each rule of transform.dates.RULES is judged by switching
it off: the change in stated-day accuracy on each fold. The rules were written while reading the misses of
folds 0-2 only (`--misses 0`); folds 3 and 4 were scored, never read: they are the figure to expect on
sites the rules were not derived from.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "dates-dev"


def host_fold(url: str, k: int) -> int:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return int(hashlib.sha256(f"fold:{host}".encode()).hexdigest(), 16) % k


def load_pages(data: Path, limit: int | None = None) -> list[tuple[str, str, bytes, date]]:
    """(id, url, html bytes, gold day) for each page with a gold date."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for pid, row in sorted(truth.items()):
        if not row.get("date"):
            continue
        path = data / "html" / f"{pid}.html.gz"
        if path.exists():
            pages.append((pid, row["url"], gzip.decompress(path.read_bytes()), date.fromisoformat(row["date"])))
        if limit and len(pages) >= limit:
            break
    return pages


def newsmon_dates(html: bytes, url: str, rules: dict[str, bool] | None = None) -> tuple[date | None, date | None]:
    """(stated day, UTC day of the instant) as extract_article would find them."""
    from transform.dates import find_published
    from transform.metadata import parse_html, read_metadata

    tree = parse_html(html)
    if tree is None:
        return None, None
    meta = read_metadata(tree, url)
    found = find_published(tree, html, meta.canonical_url or url, meta.article_object, meta.meta, rules=rules)
    return found.day, (found.at.date() if found.at else None)


def htmldate_day(html: bytes, url: str) -> date | None:
    from htmldate import find_date

    try:
        found = find_date(html, url=url, original_date=True, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    return date.fromisoformat(found) if found else None


def main(argv: list[str] | None = None) -> int:
    from transform.dates import RULES

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages (a smoke run)")
    ap.add_argument("--misses", type=int, default=None, metavar="FOLD",
                    help="print newsmon's misses on this fold (read only folds 0-2: see the docstring)")
    args = ap.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"no ground-truth.json in {args.data}", file=sys.stderr)
        return 2
    pages = load_pages(args.data, args.limit)
    k = args.folds
    variants = {"newsmon": None, **{f"without {r}": {r: False} for r in RULES}}
    scores: dict[str, list[list[int]]] = {name: [[0, 0] for _ in range(k)] for name in
                                          ["htmldate", "newsmon", "newsmon UTC day", "none: newsmon",
                                           "none: htmldate", *list(variants)[1:]]}
    seconds = {"htmldate": 0.0, "newsmon": 0.0}
    misses = []
    for n, (pid, url, html, gold) in enumerate(pages, 1):
        fold = host_fold(url, k)
        t = time.perf_counter()
        theirs = htmldate_day(html, url)
        seconds["htmldate"] += time.perf_counter() - t
        results = {}
        for name, rules in variants.items():
            t = time.perf_counter()
            results[name] = newsmon_dates(html, url, rules)
            if name == "newsmon":
                seconds["newsmon"] += time.perf_counter() - t
        day, utc_day = results["newsmon"]
        for name, correct in (("htmldate", theirs == gold), ("newsmon", day == gold),
                              ("newsmon UTC day", utc_day == gold), ("none: newsmon", day is None),
                              ("none: htmldate", theirs is None),
                              *((name, results[name][0] == gold) for name in list(variants)[1:])):
            scores[name][fold][0] += int(correct)
            scores[name][fold][1] += 1
        if args.misses == fold and day != gold:
            misses.append((pid, url, gold, day, theirs))
        if n % 100 == 0:
            print(f"  {n}/{len(pages)} pages", file=sys.stderr)
    print(f"{len(pages)} pages with a gold day from {args.data.name}, {k} folds by host; exact-day accuracy")
    print(f"{'':24}" + "".join(f"{'fold ' + str(f):>9}" for f in range(k)) + f"{'all':>9}")
    for name, per_fold in scores.items():
        cells = [hit / total if total else float("nan") for hit, total in per_fold]
        hits, total = sum(h for h, _ in per_fold), sum(t for _, t in per_fold)
        print(f"{name:24}" + "".join(f"{c:9.3f}" for c in cells) + f"{hits / max(total, 1):9.3f}")
    print(f"{'pages':24}" + "".join(f"{t:9d}" for _, t in scores["newsmon"]) + f"{len(pages):9d}")
    worst = min(range(k), key=lambda f: (scores["newsmon"][f][0] - scores["htmldate"][f][0]))
    print(f"newsmon - htmldate, worst fold ({worst}): "
          f"{(scores['newsmon'][worst][0] - scores['htmldate'][worst][0]) / max(scores['newsmon'][worst][1], 1):+.3f}")
    print(f"time per page: newsmon {1000 * seconds['newsmon'] / max(len(pages), 1):.1f} ms, htmldate "
          f"{1000 * seconds['htmldate'] / max(len(pages), 1):.1f} ms")
    for pid, url, gold, day, theirs in misses:
        print(f"MISS {pid} {url} gold {gold} newsmon {day} htmldate {theirs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
