"""Dashboard speed on a big warehouse: each page's first render and each interaction (a filter changed),
on a synthetic warehouse of --articles articles (default 1,000,000) beside the same on a small one
(--baseline, default 1,000) built in the same run; prints seconds and the ratio big / small.

What is timed is one run of the page's script as Streamlit's AppTest executes it: the queries on the
published snapshot and the building of every element (the browser's drawing is not included). A first
render starts with empty caches; an interaction follows it and pays for the queries its new filter asks.
Each figure is the median of --repeat runs.

Usage: python bench/dashboard.py [--articles N] [--baseline N] [--repeat R] [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
TARGET_S = 1.0  # the aim for an interaction


def scenarios(small: bool) -> list[tuple[str, str, list[tuple[str, Callable]]]]:
    """(page, view file, [(interaction, change)]): what a user does on each page, in order."""
    entity = "Entity 7"
    return [
        ("Overview", "overview", [
            ("measure: share of the day's articles", lambda at: at.button_group[0].set_value("Share")),
            ("7-day average", lambda at: at.toggle[0].set_value(True)),
            ("entities: two more", lambda at: at.multiselect[0].set_value(
                [*at.multiselect[0].value, "Entity 100", "Entity 150"])),
            ("date range: the last 30 days", lambda at: at.sidebar.date_input[0].set_value(
                date(2024, 12, 1) if not small else at.sidebar.date_input[0].value)),
        ]),
        ("Entities", "entities", [
            ("search an alias-free name (profile)", lambda at: at.text_input[0].set_value(entity)),
            ("search a typo (suggestions)", lambda at: at.text_input[0].set_value("Entty 77")),
        ]),
        ("Stories", "stories", [
            ("open the largest story", lambda at: at.selectbox[0].select_index(0)),
        ]),
        ("Articles", "articles", [
            ("filter: one outlet", lambda at: at.multiselect[0].set_value(["Source 3"])),
            ("filter: relation search", lambda at: at.multiselect[1].set_value(["search"])),
            ("filter: mentions an entity", lambda at: at.text_input[0].set_value(entity)),
        ]),
        ("Outlets", "outlets", [
            ("outlets: three", lambda at: at.multiselect[0].set_value(["Source 1", "Source 2", "Source 3"])),
        ]),
        ("Crawl health", "crawl", []),
    ]


def time_pages(db: Path, repeat: int, small: bool) -> dict[str, list[float]]:
    """Median seconds of each page's first render and interactions, keyed 'Page: what'."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["NEWSMON_DB"] = str(db)
    AppTest.from_file(APP, default_timeout=600).run()  # imports and first-use costs land in no figure
    runs: dict[str, list[float]] = {}
    for _ in range(repeat):
        for page, view, steps in scenarios(small):
            st.cache_data.clear()
            at = AppTest.from_file(APP, default_timeout=600)
            if view != "overview":
                at.switch_page(f"views/{view}.py")
            for what, change in [("first render", None), *steps]:
                if change is not None:
                    change(at)
                started = time.perf_counter()
                at.run()
                runs.setdefault(f"{page}: {what}", []).append(time.perf_counter() - started)
                if at.exception:
                    raise RuntimeError(f"{page} ({what}) failed on {db}: {at.exception[0].value}")
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated warehouses")
    args = parser.parse_args(argv)

    from streamlit.logger import set_log_level

    from bench.synthetic import build

    set_log_level("error")  # AppTest's "no runtime" notices on every run
    work = args.workdir or Path(tempfile.mkdtemp(prefix="newsmon-bench-dashboard-"))
    try:
        sizes = {"small": args.baseline, "big": args.articles}
        times = {}
        for name, n in sizes.items():
            print(f"{name} warehouse: {n:,} articles")
            folder = work / name
            db = folder / "newsmon.duckdb" if (folder / "newsmon.snapshot.duckdb").exists() else \
                build(folder, n, say=lambda m: print(m, flush=True))
            times[name] = time_pages(db, args.repeat, small=name == "small")
        print(f"\nseconds per page run, median of {args.repeat} (server side: queries and elements)")
        print(f"{'page: action':<58} {args.baseline:>9,} {args.articles:>11,}  ratio")
        slow = []
        for key in times["small"]:
            small, big = statistics.median(times["small"][key]), statistics.median(times["big"][key])
            flag = "" if big < TARGET_S else "  over 1 s"
            if big >= TARGET_S:
                slow.append(key)
            print(f"{key:<58} {small:9.2f} {big:11.2f}  x{big / small:4.1f}{flag}")
        interactions = [statistics.median(v) for k, v in times["big"].items() if not k.endswith("first render")]
        print(f"\ninteractions at {args.articles:,} articles: median {statistics.median(interactions):.2f} s, "
              f"slowest {max(interactions):.2f} s; {len(slow)} of {len(times['big'])} runs over {TARGET_S:.0f} s")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
