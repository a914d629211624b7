"""Trend queries at scale: a synthetic warehouse of 1,000,000 articles and about 20,000,000 mentions,
loaded through newsmon's bulk path, then the documented queries timed; the bulk load is compared with
row-by-row `executemany` on a sample, in the same run.

The load is newsmon's load SQL, alias merge and mart refresh in one transaction (bench/synthetic.py),
without near-duplicate and story placement: placement stalls at this size (the scale issue).

Usage: python bench/trends.py [--articles N] [--mentions-per-article M] [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

ROOT = Path(__file__).resolve().parents[1]


def row_by_row_rate(folder: Path, sample: int) -> float:
    """Rows per second inserting `sample` mention rows one by one with executemany into a warehouse."""
    import duckdb

    from warehouse.db import connect

    src = duckdb.connect()
    rows = src.execute(f"select * from '{folder / 'mentions.parquet'}' limit {sample}").fetchall()
    src.close()
    con = connect(folder.parent / "row_by_row.duckdb")
    started = time.perf_counter()
    con.executemany("insert into mentions (article_id, entity_id, surface, start_char, end_char, label) "
                    "values (?, ?, ?, ?, ?, ?)", rows)
    elapsed = time.perf_counter() - started
    con.close()
    return len(rows) / elapsed


def timed(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], repeat: int = 5) -> tuple[float, int]:
    """Median seconds over `repeat` runs (after one warm-up) and the row count."""
    n = len(con.execute(sql, params).fetchall())
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        con.execute(sql, params).fetchall()
        times.append(time.perf_counter() - started)
    return statistics.median(times), n


QUERIES = [
    ("one entity's daily series", "select day, mentions, articles, salience from entity_daily_mart "
     "where entity_id = ? order by day", ["e000007"], 0.1),
    ("rising entities (7 vs 28 days)", "select * from rising_entities(recent_days := 7, baseline_days := 28, "
     "min_articles := 3) limit 50", [], 1.0),
    ("co-occurrence for one entity", "select * from cooccurrence(?) limit 50", ["Entity 7"], 1.0),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--mentions-per-article", type=int, default=20)
    parser.add_argument("--sample", type=int, default=20_000, help="rows inserted one by one for the baseline")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated warehouse")
    args = parser.parse_args(argv)

    from bench.synthetic import bulk_load, generate
    from warehouse.checks import run_checks
    from warehouse.db import publish, read_connection

    work = args.workdir or Path(tempfile.mkdtemp(prefix="newsmon-bench-"))
    try:
        started = time.perf_counter()
        counts = generate(work / "batch", args.articles, args.mentions_per_article, signatures=False)
        print(f"generated {counts} in {time.perf_counter() - started:.1f} s")
        rows = sum(counts.values())
        load_s = bulk_load(work / "newsmon.duckdb", work / "batch")
        started = time.perf_counter()
        publish(work / "newsmon.duckdb")
        publish_s = time.perf_counter() - started
        size_mb = (work / "newsmon.duckdb").stat().st_size / 1e6
        bulk_rate = rows / load_s
        slow_rate = row_by_row_rate(work / "batch", args.sample)
        print(f"bulk load (Parquet -> DuckDB, one transaction, marts included): {rows} rows in "
              f"{load_s:.1f} s = {bulk_rate:,.0f} rows/s")
        print(f"first publish (checkpoint + whole copy of the file): {publish_s:.1f} s for {size_mb:,.0f} MB")
        started = time.perf_counter()
        checks = run_checks(work / "newsmon.duckdb")
        print(f"data checks over every row ({len(checks)} checks, all passed): {time.perf_counter() - started:.1f} s")
        print(f"row-by-row executemany on a sample of {args.sample} rows: {slow_rate:,.0f} rows/s")
        print(f"bulk / row-by-row: x{bulk_rate / slow_rate:,.0f} (target >= 100)")
        print(f"\n{'query':<34} {'median':>10} {'target':>8} {'rows':>6}")
        ok = bulk_rate / slow_rate >= 100
        with read_connection(work / "newsmon.duckdb") as con:
            for name, sql, params, target in QUERIES:
                seconds, n = timed(con, sql, params)
                ok &= seconds < target
                print(f"{name:<34} {seconds * 1000:8.1f} ms {target * 1000:6.0f} ms {n:6d}"
                      f"  {'ok' if seconds < target else 'SLOW'}")
        print("\nall targets met" if ok else "\nsome targets missed")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
