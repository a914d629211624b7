"""Article-body extraction benchmark: newsmon against trafilatura on the same pages, in one run.

Usage: python bench/extraction.py [DATA_DIR] [--worst N] [--repeat N] [--folds K] [--no-whole-process]

DATA_DIR holds ground-truth.json ({id: {"url", "articleBody"}}) and html/<id>.html.gz, as in the
article-extraction benchmark's development split (default: ../shared/data/article-extraction-dev).
Scoring follows that benchmark: tokens are \\w+ matches, each text a multiset of 4-token shingles; per
page TP, FP, FN; precision and recall are means over pages, F1 is their harmonic mean.

Leave-sites-out cross-validation (--folds K, default 5; 0 skips it): the pages are split into K folds by
host (a site's pages are all in one fold). Each rule of the extractor (RULES: every deviation from
trafilatura's defaults: precision mode, comments left out, the fast path, link-list pruning, the
boilerplate line filters, the headline line) is judged by removing it: on each fold, the F1 change
without it. For each fold, the rules kept are those that help on the *other* folds (removing them
lowers F1 on at least two of them, and on average; a speed rule must cost nothing on any of them);
the fold is then scored with only those rules. That cross-validated figure, not the whole-set one, is what to expect on
unseen sites, and a rule that helps on the folds it was not judged on earns its place.

Whole process (skip with --no-whole-process): the pages are saved as files in a temporary folder and
whole commands are timed, start-up included: `newsmon parse --no-entities` against trafilatura's
command line (`--input-dir`) and a plain one-process trafilatura script.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
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


NEVER = re.compile(r"(?!x)x")  # a pattern that matches nothing: the rule switched off
NOISE = 0.0005  # F1 changes smaller than this are no change


def _identity_title(text: str, title: str, description: str | None = None) -> str:
    return text


# rule name -> the (module, attribute, replacement) that switches it off. With every rule off, the
# extractor is trafilatura with its defaults: each rule is a deviation that has to earn its place.
RULES: dict[str, list[tuple[str, str, object]]] = {
    "precision mode": [("transform.article", "PRECISION", False)],
    "comments left out": [("transform.article", "COMMENTS", True)],
    "fast path (speed)": [("transform.article", "FAST_PATH_WORDS", 0)],
    "link-list pruning (xpath)": [("transform.article", "PRUNE_XPATH", [])],
    "headline/standfirst line": [("transform.article", "drop_title_line", _identity_title)],
    "link-list lines": [("transform.boilerplate", "LINK_LIST", NEVER)],
    "prompts": [("transform.boilerplate", "PROMPT", NEVER)],
    "newsletter": [("transform.boilerplate", "NEWSLETTER", NEVER)],
    "follow / contributed": [("transform.boilerplate", "FOLLOW", NEVER),
                             ("transform.boilerplate", "CONTRIBUTED", NEVER)],
    "credit line": [("transform.boilerplate", "CREDIT", NEVER)],
    "byline": [("transform.boilerplate", "BYLINE", NEVER)],
    "dateline": [("transform.boilerplate", "DATELINE", NEVER), ("transform.boilerplate", "DATE_LIKE", NEVER)],
    "tags": [("transform.boilerplate", "TAGS_HEADING", NEVER), ("transform.boilerplate", "TAGS_LINE", NEVER)],
    "pipe rows": [("transform.boilerplate", "PIPE_LIST", NEVER)],
}


SPEED_RULES = {"fast path (speed)"}


def without(rules: set[str]) -> AbstractContextManager[None]:
    """Context manager: the extractor with `rules` switched off."""
    import contextlib
    import importlib

    @contextlib.contextmanager
    def patched() -> Iterator[None]:
        saved = []
        try:
            for rule in rules:
                for module, attr, value in RULES[rule]:
                    mod = importlib.import_module(module)
                    saved.append((mod, attr, getattr(mod, attr)))
                    setattr(mod, attr, value)
            yield
        finally:
            for mod, attr, value in reversed(saved):
                setattr(mod, attr, value)
    return patched()


def page_hosts(folder: Path, pages: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    """{id: host}: the page's URL host, or the `host` column of the folder's index.tsv for sets whose
    ground truth has no URL (the Dragnet and Readability sets)."""
    import csv
    from urllib.parse import urlsplit

    hosts = {pid: urlsplit(url).netloc.removeprefix("www.") for pid, (_, url, _) in pages.items()}
    index = folder / "index.tsv"
    if index.exists():
        with index.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row["id"] in hosts and not hosts[row["id"]]:
                    hosts[row["id"]] = row["host"].removeprefix("www.")
    return hosts


def host_folds(hosts: dict[str, str], k: int) -> list[list[str]]:
    """Page ids in k folds by host, hosts dealt round-robin in a hashed order (balanced, reproducible)."""
    from hashlib import sha1

    by_host: dict[str, list[str]] = {}
    for pid, host in hosts.items():
        by_host.setdefault(host, []).append(pid)
    order = sorted(by_host, key=lambda h: sha1(h.encode()).hexdigest())
    folds: list[list[str]] = [[] for _ in range(k)]
    for n, host in enumerate(order):
        folds[n % k].extend(by_host[host])
    return folds


def _prf(scores: list[tuple[float, float]]) -> float:
    p = sum(x for x, _ in scores) / len(scores)
    r = sum(y for _, y in scores) / len(scores)
    return _f1(p, r)


def cross_validate(pages: dict[str, tuple[str, str, str]], hosts: dict[str, str], k: int, base: Result,
                   whole: Result) -> float:
    """Print the rule ablations per fold and the leave-sites-out figure; return the cross-validated F1."""
    def scores_without(rules: set[str], ids: list[str]) -> dict[str, tuple[float, float]]:
        with without(rules):
            return {pid: page_scores(pages[pid][2], newsmon_text(pages[pid][0], pages[pid][1])) for pid in ids}

    folds = [f for f in host_folds(hosts, k) if f]
    k = len(folds)
    if k < 3:
        print(f"\nleave-sites-out: needs pages from 3 hosts or more, these come from {k}")
        return whole.f1
    ids = list(pages)
    ablated = {rule: scores_without({rule}, ids) for rule in RULES}
    deltas = {rule: [_prf([ablated[rule][p] for p in fold]) - _prf([whole.per_page[p] for p in fold])
                     for fold in folds] for rule in RULES}
    print(f"\nleave-sites-out: {k} folds by host ({', '.join(str(len(f)) for f in folds)} pages)")
    print("F1 change when a rule is switched off, per fold (negative: the rule helps there)")
    print(f"{'rule':<28}" + "".join(f"{'fold ' + str(i + 1):>9}" for i in range(k)) + f"{'mean':>9}  verdict")
    for rule, ds in deltas.items():
        helped, cost = sum(d < -NOISE for d in ds), [i + 1 for i, d in enumerate(ds) if d > NOISE]
        verdict = (f"helps on {helped} folds" if helped >= 2 else "one site's rule (helps on one fold)"
                   if helped else "no effect on these pages") + (
                   f", costs on fold {', '.join(map(str, cost))}" if cost else "")
        print(f"{rule:<28}" + "".join(f"{d:>+9.3f}" for d in ds) + f"{sum(ds) / k:>+9.3f}  {verdict}")

    def helps(rule: str, on: list[int]) -> bool:
        """Across folds: it helps (F1 lower without it, beyond NOISE) on at least two of them, and on
        average; a rule that helps on one fold only is one site's rule. A speed rule is kept when it
        costs nothing (no F1 gain without it, beyond NOISE) on any of them."""
        ds = [deltas[rule][i] for i in on]
        if rule in SPEED_RULES:
            return all(d <= NOISE for d in ds)
        return sum(d < -NOISE for d in ds) >= 2 and sum(ds) < 0

    cv_scores: dict[str, tuple[float, float]] = {}
    print(f"\n{'fold':<6}{'pages':>6}{'trafilatura':>13}{'newsmon (all rules)':>21}{'newsmon (cv rules)':>20}  "
          "rules off (judged on the other folds)")
    for i, fold in enumerate(folds):
        off = {r for r in RULES if not helps(r, [j for j in range(k) if j != i])}
        got = scores_without(off, fold) if off else {p: whole.per_page[p] for p in fold}
        cv_scores.update(got)
        print(f"{i + 1:<6}{len(fold):>6}{_prf([base.per_page[p] for p in fold]):>13.3f}"
              f"{_prf([whole.per_page[p] for p in fold]):>21.3f}{_prf(list(got.values())):>20.3f}  "
              f"{', '.join(sorted(off)) or '-'}")
    cv = _prf(list(cv_scores.values()))
    worst = min(_prf([cv_scores[p] for p in f]) - _prf([base.per_page[p] for p in f]) for f in folds)
    print(f"newsmon F1: whole set {whole.f1:.3f}, leave-sites-out {cv:.3f}; trafilatura {base.f1:.3f}; "
          f"worst fold against trafilatura {worst:+.3f}")
    return cv


PLAIN_SCRIPT = ("import sys, trafilatura\n"
                "for p in sys.argv[1:]:\n"
                "    print(len(trafilatura.extract(open(p, encoding='utf-8', errors='replace').read()) or ''))\n")


def whole_process(pages: dict[str, tuple[str, str, str]], repeat: int) -> None:
    """Time whole commands over the pages saved as files, start-up included (best of `repeat` runs):
    `newsmon parse --no-entities` against trafilatura's own command line (--input-dir, which uses
    several processes) and a plain one-process trafilatura script."""
    import os
    import shutil
    import subprocess
    import tempfile

    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-") as tmp:
        src, out = Path(tmp) / "pages", Path(tmp) / "out"
        src.mkdir()
        files = []
        for pid, (html, _, _) in pages.items():
            (src / f"{pid}.html").write_text(html, encoding="utf-8")
            files.append(str(src / f"{pid}.html"))
        trafilatura_cli = shutil.which("trafilatura", path=str(bindir)) or "trafilatura"
        commands = {
            "newsmon parse --no-entities": [sys.executable, "-m", "newsmon", "parse", "--no-entities", *files],
            "trafilatura --input-dir": [trafilatura_cli, "--input-dir", str(src), "--output-dir", str(out)],
            "plain trafilatura script": [sys.executable, "-c", PLAIN_SCRIPT, *files],
        }
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
        took = {}
        for name, cmd in commands.items():
            best = float("inf")
            for _ in range(max(1, repeat)):
                shutil.rmtree(out, ignore_errors=True)
                started = time.perf_counter()
                done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
                best = min(best, time.perf_counter() - started)
                if name.startswith("newsmon") and done.stdout.count("\n") != len(files):
                    sys.exit(f"{name} printed {done.stdout.count(chr(10))} rows for {len(files)} pages: "
                             f"{done.stderr[-500:]}")
            took[name] = best
    base = took["trafilatura --input-dir"]
    print(f"\nwhole process, start-up included, {len(files)} pages on {os.cpu_count()} cores (best of {repeat}):")
    for name, secs in took.items():
        print(f"  {name:<30} {secs:6.2f} s   speed x{base / secs:.2f} of trafilatura's command")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--worst", type=int, default=8, help="list the N pages where newsmon loses most")
    parser.add_argument("--repeat", type=int, default=2, help="timing passes per extractor (best is kept)")
    parser.add_argument("--folds", type=int, default=5, help="leave-sites-out folds by host (0: none)")
    parser.add_argument("--no-whole-process", dest="whole_process", action="store_false",
                        help="skip timing whole commands (newsmon parse against trafilatura's command line)")
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
    if args.folds > 1:
        cross_validate(pages, page_hosts(args.data, pages), args.folds, base, ours)
    if args.whole_process:
        whole_process(pages, max(2, args.repeat))
    return 0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
