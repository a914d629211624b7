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

ROOT = Path(__file__).resolve().parents[1]
ENTITIES = 50_000
TYPES = ["PERSON", "ORG", "GPE", "NORP", "LOC"]


def generate(folder: Path, articles: int, per_article: int, checked_at: str = "2025-01-02") -> dict[str, int]:
    """Write a staging batch (Parquet, the load's input) of synthetic but trend-shaped data: a year of
    articles, entity popularity skewed (a few entities in many articles), some entities rising late, and
    a frontier row per article (checked at `checked_at`, next due a week later). It passes the data
    checks: each mention's offsets point at its surface in the text."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"""
        copy (
            select
                'a' || lpad(cast(i as varchar), 9, '0') as article_id,
                'https://news.example/' || i as url,
                'https://news.example/' || i as canonical_url,
                'Synthetic story ' || i as title,
                ['Desk'] as authors,
                timestamp '2024-01-01' + to_minutes(cast(i * 525600 // {articles} as integer)) as published_at,
                'meta' as published_source,
                cast(null as timestamp) as modified_at,
                cast(null as varchar) as modified_source,
                timestamp '2025-01-02' as fetched_at,
                'en' as language,
                'Source ' || (i % 40) as site_name,
                repeat(rpad('Entity', 40, ' '), {per_article}) as text,
                {per_article} as word_count,
                case when i % 10 = 3 then 'search' when i % 10 = 7 then 'feed' else 'linked' end as relation,
                case when i % 10 in (3, 7) then null else 1 end as hops,
                case when i % 10 in (3, 7) then 0.5 + (i % 50) / 100.0 end as relevance,
                case when i % 10 = 3 then 'https://api.gdeltproject.org/api/v2/doc/doc?query=x'
                     when i % 10 = 7 then 'https://news.example/feed.xml'
                     else 'https://news.example/' || (i - 1) end as related_via,
                repeat('0', 64) as raw_sha256
            from range({articles}) as t(i)
        ) to '{folder / "articles.parquet"}' (format parquet)""")
    con.execute(f"""
        copy (
            select
                'e' || lpad(cast(i as varchar), 6, '0') as entity_id,
                'Entity ' || i as name,
                {TYPES}[1 + i % 5] as type,
                timestamp '2024-01-01' as first_seen_at,
                cast(null as varchar) as country_code,
                cast(null as bigint) as geonames_id
            from range({ENTITIES}) as t(i)
        ) to '{folder / "entities.parquet"}' (format parquet)""")
    # entity of mention j of article i: skewed towards low ids; entities 100-199 only in the last month
    con.execute(f"""
        create table m as
        with raw as (
            select
                i,
                j,
                (hash(i * 1000 + j) % 1000000) / 1000000.0 as u
            from range({articles}) as a(i), range({per_article}) as b(j)
        )
        select
            'a' || lpad(cast(i as varchar), 9, '0') as article_id,
            'e' || lpad(cast(case when i > {articles} * 11 // 12 and j = 0 then 100 + i % 100
                                  else cast(floor({ENTITIES} * u * u * u) as bigint) end as varchar), 6, '0')
                as entity_id,
            j * 40 as start_char
        from raw""")
    con.execute(f"""
        copy (select article_id, entity_id, 'Entity' as surface, start_char, start_char + 6 as end_char,
                     'PERSON' as label from m)
        to '{folder / "mentions.parquet"}' (format parquet)""")
    con.execute(f"""
        copy (select article_id, entity_id, count(*) as mentions, min(start_char) as first_char,
                     min(start_char) = 0 as in_headline,
                     round(0.3 + 0.7 * count(*) / {per_article}, 4) as salience
              from m group by all)
        to '{folder / "article_entities.parquet"}' (format parquet)""")
    con.execute(f"""
        copy (
            select
                'https://news.example/' || i as url,
                'stored' as state,
                cast(null as varchar) as detail,
                200 as http_status,
                'https://news.example/' || i as final_url,
                'a' || lpad(cast(i as varchar), 9, '0') as article_id,
                case when i % 10 = 3 then 'search' when i % 10 = 7 then 'feed' else 'linked' end as relation,
                case when i % 10 in (3, 7) then null else 1 end as hops,
                cast(null as varchar) as discovered_from,
                timestamp '{checked_at}' as first_seen_at,
                timestamp '{checked_at}' as last_checked_at,
                'synthetic' as run_id,
                '"' || i || '"' as etag,
                cast(null as varchar) as last_modified,
                repeat('0', 64) as raw_sha256,
                'text/html' as content_type,
                timestamp '{checked_at}' as last_changed_at,
                timestamp '{checked_at}' + interval 7 days as next_due_at,
                1 as fetches,
                false as is_feed,
                case when i % 10 = 3 then 'gdelt' end as search_provider,
                case when i % 10 = 3 then '"Entity ' || (i % 7) || '" story' end as search_query
            from range({articles}) as t(i)
        ) to '{folder / "urls.parquet"}' (format parquet)""")
    counts = {name: con.execute(f"select count(*) from '{folder / (name + '.parquet')}'").fetchone()[0]
              for name in ("articles", "entities", "mentions", "article_entities", "urls")}
    con.close()
    from warehouse.batch import seal

    seal(folder)  # the other tables empty, and the manifest the load checks
    return counts


def row_by_row_rate(folder: Path, sample: int) -> float:
    """Rows per second inserting `sample` mention rows one by one with executemany into a warehouse."""
    import duckdb

    from warehouse.db import connect

    src = duckdb.connect()
    rows = src.execute(f"select * from '{folder / 'mentions.parquet'}' limit {sample}").fetchall()
    src.close()
    con = connect(folder.parent / "row_by_row.duckdb")
    started = time.perf_counter()
    con.executemany("insert into mentions values (?, ?, ?, ?, ?, ?)", rows)
    elapsed = time.perf_counter() - started
    con.close()
    return len(rows) / elapsed


def timed(con, sql: str, params: list, repeat: int = 5) -> tuple[float, int]:  # type: ignore[no-untyped-def]
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

    from bench.synthetic import bulk_load
    from warehouse.checks import run_checks
    from warehouse.db import publish, read_connection

    work = args.workdir or Path(tempfile.mkdtemp(prefix="newsmon-bench-"))
    try:
        started = time.perf_counter()
        counts = generate(work / "batch", args.articles, args.mentions_per_article)
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
        print(f"publish (checkpoint + snapshot copy, once per cycle): {publish_s:.1f} s for {size_mb:,.0f} MB")
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
