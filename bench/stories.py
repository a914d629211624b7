"""Story placement cost against batch size: newsmon's capped candidates against comparing every article that
shares a key (the placement before the caps), on the same generated batches, in one run.

Usage: python bench/stories.py [--sizes 2000 20000 200000] [--baseline-max 20000]

A batch is a backfill: N articles over 30 days placed into an empty warehouse, in stories of 3 to 12
articles per event. Every article names a few entities every article of the period names ("China", "Beijing":
skewed popularity, as in a long-followed story), its event's own people and places, and keywords. Printed per
size: seconds and articles placed per second for each placement, their ratio ("speed-up"), the share of
articles each put in the same story as their event's first article ("kept", "kept (base)"), and the share
of articles both put in the same story ("same": 1.000, the caps changed no placement).
The baseline runs only up to --baseline-max (it grows with the square of the batch).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POPULAR = ["China", "Beijing", "Xi Jinping", "United States", "Taiwan", "Russia"]


def batch(n: int, seed: int = 5) -> list:
    """n Docs of events over 30 days (each event 3-12 articles within a day), skewed entity popularity."""
    from transform.records import Doc

    rng = random.Random(seed)
    start = datetime(2022, 6, 1)
    docs: list[Doc] = []
    event = 0
    while len(docs) < n:
        day = min(29, len(docs) // max(1, n // 30))
        size = rng.randint(3, 12)
        own = [f"Person {event}", f"Town {event}", f"Agency {event % 997}"]
        words = frozenset(f"w{event}x{i}" for i in range(12)) | {f"common{i}" for i in rng.sample(range(50), 8)}
        at = start + timedelta(days=day, minutes=rng.randint(0, 600))
        for k in range(size):
            popular = rng.sample(POPULAR, 3)
            ents = tuple(popular[:1] + own + popular[1:] + [f"Extra {rng.randint(0, 50_000)}"])
            docs.append(Doc(article_id=f"e{event:07d}a{k:02d}", at=at + timedelta(minutes=7 * k),
                            keywords=frozenset(rng.sample(sorted(words), 10)), entities=ents))
        event += 1
    return docs[:n]


def exhaustive(pool: list, place: set[str], threshold: float, window_days: float) -> dict[str, str]:
    """The placement before the caps: every placed article sharing a key is a candidate."""
    from transform.stories import STORY_ENTITIES, TERM_WEIGHT, similarity

    docs = {d.article_id: d for d in pool}
    window = timedelta(days=window_days)
    index: dict[str, set[str]] = {}
    with_terms = threshold <= TERM_WEIGHT

    def keys(d) -> set[str]:
        out = {"e:" + e.casefold() for e in d.entities[:STORY_ENTITIES]}
        return out | {"t:" + t for t in d.keywords} if with_terms else out

    out: dict[str, str] = {}
    for d in sorted((docs[a] for a in place), key=lambda d: d.order()):
        candidates = set().union(set(), *(index.get(k, set()) for k in keys(d)))
        best, best_score = None, 0.0
        for other in sorted(candidates):
            o = docs[other]
            if abs(o.at - d.at) > window:
                continue
            score = similarity(d, o)
            if score > best_score:
                best, best_score = o, score
        d.story_id = best.story_id if best is not None and best_score >= threshold and best.story_id else d.article_id
        out[d.article_id] = d.story_id
        for key in keys(d):
            index.setdefault(key, set()).add(d.article_id)
    return out


def event_agreement(stories: dict[str, str]) -> float:
    """Share of articles placed in the same story as their event's first article."""
    first: dict[str, str] = {}
    same = 0
    for aid in sorted(stories):
        event = aid.split("a")[0]
        first.setdefault(event, stories[aid])
        same += stories[aid] == first[event]
    return same / max(1, len(stories))


def timed(place, docs: list, threshold: float, window: float) -> tuple[float, dict[str, str]]:
    from dataclasses import replace

    fresh = [replace(d, story_id=None) for d in docs]
    started = time.perf_counter()
    out = place(fresh, {d.article_id for d in fresh}, threshold, window)
    return time.perf_counter() - started, out


def main(argv: list[str] | None = None) -> int:
    from core.config import Grouping
    from transform.stories import assign_stories

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000, 200_000])
    ap.add_argument("--baseline-max", type=int, default=20_000, help="largest batch the baseline places")
    args = ap.parse_args(argv)
    grouping = Grouping()
    threshold, window = grouping.story_threshold, grouping.story_window_days
    print(f"{'batch':>9} {'newsmon s':>10} {'per s':>7} {'baseline s':>11} {'per s':>7} {'speed-up':>9} "
          f"{'kept':>6} {'kept (base)':>12} {'same':>6}")
    rates = []
    for n in args.sizes:
        docs = batch(n)
        ours_s, ours = timed(assign_stories, docs, threshold, window)
        rates.append(n / ours_s)
        cells = [f"{n:>9,}", f"{ours_s:10.2f}", f"{n / ours_s:7,.0f}"]
        if n <= args.baseline_max:
            base_s, base = timed(exhaustive, docs, threshold, window)
            cells += [f"{base_s:11.2f}", f"{n / base_s:7,.0f}", f"{'x' + format(base_s / ours_s, '.1f'):>9}"]
            same = sum(ours[a] == base[a] for a in ours) / max(1, len(ours))
            kept = f"{event_agreement(ours):6.3f} {event_agreement(base):12.3f} {same:6.3f}"
        else:
            cells += [f"{'-':>11}", f"{'-':>7}", f"{'-':>9}"]
            kept = f"{event_agreement(ours):6.3f} {'-':>12} {'-':>6}"
        print(" ".join(cells) + " " + kept)
    if len(rates) > 1:
        print(f"newsmon articles/s, largest batch against smallest: x{rates[-1] / rates[0]:.2f} "
              "(1.00 = cost linear in the batch)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
