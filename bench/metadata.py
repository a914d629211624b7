"""Titles and authors: newsmon's metadata against trafilatura's on the same pages, in one run.

Usage: python bench/metadata.py [DATA_DIR] [--folds K] [--limit N] [--misses FOLD]

DATA_DIR holds ground-truth.json ({id: {"url", "title", "authors"}}) and html/<id>.html.gz (default:
../shared/data/dates-dev). A page is scored for the title when its gold title is given, and for authors when
its gold author list is (an empty list: the page names no author, so any author found is a false one).

Scored: the title, exact after folding case and spaces; authors, each name matched exactly after folding case
and spaces: precision, recall and F1 over all names (micro), and the share of pages whose list is exactly
right. trafilatura 2.3.1 (`extract_metadata`) is the baseline. Every figure is printed per fold of hosts
(the same folds as bench/dates.py); newsmon's author rules were written while reading the misses of folds
0-2 only (`--misses`): folds 3 and 4 are the figure to expect on sites they were not derived from.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dates import host_fold  # noqa: E402  (after the path insert, as a script)

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "dates-dev"


def fold_name(name: str) -> str:
    return " ".join(name.casefold().split())


def newsmon_meta(html: bytes, url: str, off: tuple[str, ...] = ()) -> tuple[str | None, list[str]]:
    """newsmon's title and authors, with the author rules in `off` switched off."""
    from transform import metadata

    tree = metadata.parse_html(html)
    if tree is None:
        return None, []
    saved = dict(metadata.AUTHOR_RULES)
    metadata.AUTHOR_RULES.update({rule: False for rule in off})
    try:
        meta = metadata.read_metadata(tree, url)
    finally:
        metadata.AUTHOR_RULES.update(saved)
    return meta.title, meta.authors


def trafilatura_meta(html: bytes, url: str) -> tuple[str | None, list[str]]:
    import trafilatura

    doc = trafilatura.extract_metadata(html.decode("utf-8", "replace"), default_url=url)
    if doc is None:
        return None, []
    return doc.title, [a.strip() for a in (doc.author or "").split(";") if a.strip()]


class Tally:
    """Title hits and author name counts of one system on one fold."""

    def __init__(self) -> None:
        self.titles = self.title_hits = self.pages = self.exact = self.tp = self.fp = self.fn = 0

    def add(self, gold: dict, title: str | None, authors: list[str]) -> None:
        if gold.get("title"):
            self.titles += 1
            self.title_hits += fold_name(title or "") == fold_name(gold["title"])
        if gold.get("authors") is not None:
            want, got = {fold_name(a) for a in gold["authors"]}, {fold_name(a) for a in authors}
            self.pages += 1
            self.exact += want == got
            self.tp += len(want & got)
            self.fp += len(got - want)
            self.fn += len(want - got)

    def figures(self) -> tuple[float, float, float, float, float]:
        """(title exact, author precision, recall, F1, exact author lists)."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return (self.title_hits / max(self.titles, 1), p, r, 2 * p * r / (p + r) if p + r else 0.0,
                self.exact / max(self.pages, 1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages (a smoke run)")
    ap.add_argument("--misses", type=int, default=None, metavar="FOLD",
                    help="print newsmon's author misses on this fold (read only folds 0-2)")
    args = ap.parse_args(argv)
    truth_file = args.data / "ground-truth.json"
    if not truth_file.exists():
        print(f"no ground-truth.json in {args.data}", file=sys.stderr)
        return 2
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    k = args.folds
    from transform.metadata import AUTHOR_RULES

    systems: dict[str, Callable[[bytes, str], tuple[str | None, list[str]]]] = {
               "newsmon": newsmon_meta, "trafilatura": trafilatura_meta,
               **{f"newsmon without {rule}": partial(newsmon_meta, off=(rule,)) for rule in AUTHOR_RULES}}
    tallies = {name: [Tally() for _ in range(k + 1)] for name in systems}  # the last one: all folds
    seen = 0
    for pid, gold in sorted(truth.items()):
        path = args.data / "html" / f"{pid}.html.gz"
        if not path.exists() or (not gold.get("title") and gold.get("authors") is None):
            continue
        html, fold = gzip.decompress(path.read_bytes()), host_fold(gold["url"], k)
        for name, read in systems.items():
            title, authors = read(html, gold["url"])
            tallies[name][fold].add(gold, title, authors)
            tallies[name][k].add(gold, title, authors)
            if name == "newsmon" and args.misses == fold and gold.get("authors") is not None \
                    and {fold_name(a) for a in authors} != {fold_name(a) for a in gold["authors"]}:
                print(f"MISS {pid} {gold['url'][:80]} gold {gold['authors']} newsmon {authors}")
        seen += 1
        if args.limit and seen >= args.limit:
            break
    print(f"{seen} pages from {args.data.name}, {k} folds by host")
    labels = ("title exact", "authors precision", "authors recall", "authors F1", "author lists exact")
    print(f"{'':58}" + "".join(f"{'fold ' + str(f):>9}" for f in range(k)) + f"{'all':>9}")
    for i, label in enumerate(labels):
        for name in systems:
            if i == 0 and name.startswith("newsmon without"):
                continue  # the author rules do not touch titles
            cells = [t.figures()[i] for t in tallies[name]]
            print(f"{label + ', ' + name:58}" + "".join(f"{c:9.3f}" for c in cells))
    print(f"{'pages with gold authors':58}" + "".join(f"{t.pages:9d}" for t in tallies["newsmon"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
