"""Memory of the relate stage: it streams the run's parsed records, so what it holds does not grow with
the run's text. Beside it, in the same run, the baseline it replaces: reading the same parsed file whole.

Usage: python bench/relate_memory.py [--records N] [--kb K]

N parsed records of about K KB of article text each (default 2,000 x 40 KB: 80 MB) are written as the
parse stage writes them; the peak of Python allocations (tracemalloc, the NER model loaded beforehand) is
measured for `relate` over that file and for json-loading the file into a list. tracemalloc slows Python
several times over: this is why the measure lives here and not among the unit tests.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STAMP = "2026-03-01T12:00:00+00:00"


def parsed_record(url: str, text: str) -> dict[str, Any]:
    """A record as the parse stage leaves it: fetched, an article with one mention and its salience."""
    return {"url": url, "relation": "linked", "hops": 1, "via": "http://n.example/seed", "is_feed": False,
            "known": {}, "fetch": {"state": "ok", "status": 200, "detail": "", "final_url": url,
                                   "fetched_at": STAMP, "raw_sha256": "f" * 64},
            "article": {"url": url, "canonical_url": url, "title": "T", "text": text, "authors": [],
                        "published_at": STAMP, "published_source": "meta", "modified_at": None,
                        "modified_source": None, "language": "en", "site_name": None, "description": None,
                        "article_id": "id-" + url.rsplit("/", 1)[-1], "word_count": len(text.split()),
                        "fetched_at": STAMP, "raw_sha256": "f" * 64},
            "mentions": [{"start": 0, "end": 10, "text": "Xi Jinping", "label": "PERSON", "entity": "Xi Jinping"}],
            "salience": [{"entity": "Xi Jinping", "label": "PERSON", "salience": 0.9, "in_headline": False}]}


def peak_of(fn: Callable[[], object]) -> tuple[float, float]:
    """(peak MB of Python allocations, seconds) while fn runs."""
    tracemalloc.start()
    started = time.perf_counter()
    fn()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6, seconds


def measure(work: Path, records: int, kb: int) -> dict[str, float]:
    from core.config import Settings
    from newsmon.stage import relate

    settings = Settings(seeds=["http://n.example/seed"], db=work / "w.duckdb", data_dir=str(work / "data"))
    warm = work / "warm.jsonl"  # load the NER model and the gazetteers before measuring
    warm.write_text(json.dumps(parsed_record("http://n.example/w", "Xi Jinping spoke.")) + "\n", encoding="utf-8")
    relate(settings, "warm-up", [str(warm)])
    path = work / "parsed.jsonl"
    filler = "filler words here " * max(1, kb * 1024 // 18)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(records):
            fh.write(json.dumps(parsed_record(f"http://n.example/a{i}", "Xi Jinping spoke. " + filler)) + "\n")
    whole_mb, whole_s = peak_of(lambda: [json.loads(line) for line in path.open(encoding="utf-8")])
    relate_mb, relate_s = peak_of(lambda: relate(settings, "r1", [str(path)]))
    return {"input_mb": path.stat().st_size / 1e6, "relate_mb": relate_mb, "relate_s": relate_s,
            "whole_mb": whole_mb, "whole_s": whole_s}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--kb", type=int, default=40)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="newsmon-relate-bench-") as tmp:
        m = measure(Path(tmp), args.records, args.kb)
    print(f"relate over {args.records:,} parsed records of about {args.kb} KB ({m['input_mb']:.0f} MB of input)")
    print(f"{'':24}{'peak MB':>10}{'x input':>10}{'seconds':>10}")
    print(f"{'relate (streaming)':24}{m['relate_mb']:>10.1f}{m['relate_mb'] / m['input_mb']:>10.2f}"
          f"{m['relate_s']:>10.1f}")
    print(f"{'baseline: read it whole':24}{m['whole_mb']:>10.1f}{m['whole_mb'] / m['input_mb']:>10.2f}"
          f"{m['whole_s']:>10.1f}")
    print(f"relate holds {m['relate_mb'] / m['whole_mb']:.2f}x of what reading the file whole holds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
