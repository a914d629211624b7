"""Article-body extraction benchmark: newsmon against trafilatura on the same pages, in one run.

Usage: python bench/extraction.py [DATA_DIR] [--worst N] [--repeat N]

DATA_DIR holds ground-truth.json ({id: {"url", "articleBody"}}) and html/<id>.html.gz, as in the
article-extraction benchmark's development split (default: ../shared/data/article-extraction-dev).
Scoring follows that benchmark: tokens are \\w+ matches, each text a multiset of 4-token shingles; per
page TP, FP, FN; precision and recall are means over pages, F1 is their harmonic mean.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TOKEN = re.compile(r"\w+", re.UNICODE)
DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "article-extraction-dev"


def shingles(text: str, n: int = 4) -> Counter:
    """The multiset of n-token shingles of a text (one shingle of all tokens when fewer than n)."""
    tokens = TOKEN.findall(text or "")
    return Counter(" ".join(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def page_scores(truth: str, pred: str) -> tuple[float, float]:
    """(precision, recall) of one page; a page where FP = FN = 0 scores 1 for both."""
    t, p = shingles(truth), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


@dataclass
class Result:
    name: str
    precision: float
    recall: float
    f1: float
    exact: float
    pages_per_s: float
    per_page: dict[str, tuple[float, float]]


def run(name: str, extract: Callable[[str, str], str], pages: dict[str, tuple[str, str, str]],
        repeat: int) -> Result:
    """Time `extract` over all pages (best of `repeat` passes) and score its output."""
    best, outputs = float("inf"), {}
    for _ in range(repeat):
        started = time.perf_counter()
        outputs = {pid: extract(html, url) or "" for pid, (html, url, _) in pages.items()}
        best = min(best, time.perf_counter() - started)
    per_page = {pid: page_scores(truth, outputs[pid]) for pid, (_, _, truth) in pages.items()}
    precision = sum(p for p, _ in per_page.values()) / len(per_page)
    recall = sum(r for _, r in per_page.values()) / len(per_page)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    exact = sum(1 for p, r in per_page.values() if p == r == 1.0) / len(per_page)
    return Result(name, precision, recall, f1, exact, len(pages) / best, per_page)


def load_pages(folder: Path) -> dict[str, tuple[str, str, str]]:
    """{id: (html, url, true body)} from the benchmark folder; exits with a clear message if absent."""
    truth_file = folder / "ground-truth.json"
    if not truth_file.exists():
        sys.exit(f"benchmark data not found: {truth_file} is missing (pass the data folder as an argument)")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    pages = {}
    for pid, item in sorted(truth.items()):
        html = gzip.decompress((folder / "html" / f"{pid}.html.gz").read_bytes()).decode("utf-8", "replace")
        pages[pid] = (html, item["url"], item["articleBody"])
    return pages


def newsmon_text(html: str, url: str) -> str:
    from transform.article import NotArticle, extract_article

    art = extract_article(html, url)
    return "" if isinstance(art, NotArticle) else art.text


def trafilatura_text(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--worst", type=int, default=8, help="list the N pages where newsmon loses most")
    parser.add_argument("--repeat", type=int, default=2, help="timing passes per extractor (best is kept)")
    args = parser.parse_args(argv)
    pages = load_pages(args.data)
    newsmon_text(*next(iter(pages.values()))[:2])  # warm-up: imports, compiled patterns
    trafilatura_text(*next(iter(pages.values()))[:2])
    results = [run("trafilatura 2.3.1", trafilatura_text, pages, args.repeat),
               run("newsmon", newsmon_text, pages, args.repeat)]
    print(f"{len(pages)} pages from {args.data}")
    print(f"{'extractor':<18} {'F1':>6} {'prec':>6} {'recall':>6} {'exact':>6} {'pages/s':>8}")
    for r in results:
        print(f"{r.name:<18} {r.f1:6.3f} {r.precision:6.3f} {r.recall:6.3f} {r.exact:6.3f} {r.pages_per_s:8.1f}")
    base, ours = results
    print(f"newsmon/trafilatura: F1 {ours.f1 - base.f1:+.3f}, speed x{ours.pages_per_s / base.pages_per_s:.2f}")
    losses = sorted(pages, key=lambda pid: _f1(*ours.per_page[pid]) - _f1(*base.per_page[pid]))[:args.worst]
    print("\npages where newsmon loses most to trafilatura (F1 newsmon vs trafilatura, precision/recall):")
    for pid in losses:
        o, b = ours.per_page[pid], base.per_page[pid]
        print(f"  {pid[:12]} {_f1(*o):.3f} vs {_f1(*b):.3f}  (P {o[0]:.2f} R {o[1]:.2f} | P {b[0]:.2f} R {b[1]:.2f})"
              f"  {pages[pid][1][:70]}")
    return 0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
