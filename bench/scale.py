"""Scale: one hourly cycle, the trend queries and the dashboard's queries on a big warehouse (--articles,
default 1,000,000) beside the same on a smaller one (--baseline, default 100,000) built in the same run;
prints each figure for both and the ratio big / small, and the writer's peak memory.

A warehouse is bench/synthetic.py's: a year of articles with skewed entity popularity (50,000 entities), 40
outlets, a frontier row per article, stories and copies by rule, signatures (a copy has its original's), and
the near-duplicate band keys and story keys a load writes; its last month's marts are refreshed a day at a
time, as hourly loads leave them. The cycle is --cycle new articles (default 5,000) in the hour after the
warehouse's last, the first of a new month, loaded by newsmon's own load (upsert, alias merge,
near-duplicates and stories, marts, commit: each step timed), then the batch's data checks and the publish,
then, as newsmon's upkeep does after a publish, the month close (the month before rewritten in the marts in
entity order) and its own publish, in a fresh process whose peak memory (VmHWM) is the writer's. Beside the
grouping step's parts (writing the keys, reading the pool, judging it, writing the changes), the baseline:
the same batch's pool read and judged as before migration 0012 (every article of the window), in another
process, rolled back. Queries are the median of five runs on the published snapshot, after a warm-up; an
entity's series and co-occurrence are also timed before the cycle (a month's last day: its days stored
apart). Then the next hour's cycle, like most (no month to close): its load, checks and publish, and the
bytes its publish writes.

Disk: the warehouse and the two generations of its readers' copy take about 3 x 1.6-1.9 GB per million
articles (10,000,000: 48 GB), plus a slice's generated batch (0.4 GB; build() generates and loads a million
at a time) and DuckDB's temporary files while it is built. --articles 10000000 --baseline 1000000 on 2 cores:
about 30 minutes (each million generated in 22 s and loaded in 26 s, then stories, bands and marts in 10
minutes). The warehouse is published four times before the cycle (two whole copies, then a patch of
each), so the cycle's publish brings a generation up to date as a running monitor's does: comparing the
warehouse's block checksums with those its last patch kept.

--backfill N also loads N articles (a year of them) in one batch into an empty warehouse: the first load of
a long-followed story, or a backfill.

Usage: python bench/scale.py [--articles N] [--baseline N] [--cycle N] [--backfill N] [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CYCLE_START = "2025-01-01 00:00:00"  # the synthetic year ends here
NEXT_START = "2025-01-01 01:00:00"  # the cycle after it: the month already closed
LAST_DAY = date(2024, 12, 31)


def peak_mb() -> float:
    """This process's peak resident memory in MB. Linux's VmHWM, not ru_maxrss: a child started by fork and
    exec inherits its parent's ru_maxrss (here, the builder's gigabytes), but not the high-water mark."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_cycle(db: str, batch: str) -> dict[str, float]:
    """One cycle's load (by step), checks and publish on `db`, in this (fresh) process; seconds per step,
    and the process's peak resident memory in MB under "peak_mb"."""
    from core.config import Grouping
    from newsmon.stage import judge
    from warehouse.checks import run_checks
    from warehouse.db import publish
    from warehouse.load import load_batch
    from warehouse.trends import close_months_of

    steps: dict[str, float] = {}
    started = time.perf_counter()
    load_batch(db, batch, "cycle", Grouping(), judge(), timings=steps)
    steps["load (all steps)"] = time.perf_counter() - started
    started = time.perf_counter()
    run_checks(db, batch)
    steps["checks"] = time.perf_counter() - started
    started = time.perf_counter()
    publication = publish(db, "cycle")
    steps["publish"] = time.perf_counter() - started
    steps["publish_mb"] = publication.bytes_written / 1e6
    started = time.perf_counter()  # then newsmon's upkeep: the month close, published when it moved rows
    moved = close_months_of(db)
    steps["month close"] = time.perf_counter() - started
    started = time.perf_counter()
    steps["month close: publish_mb"] = publish(db, "upkeep").bytes_written / 1e6 if moved else 0.0
    steps["month close: publish"] = time.perf_counter() - started
    steps["peak_mb"] = peak_mb()
    return steps


# The grouping pool before migration 0012 (warehouse/sql/grouping.sql until then): every article of the window
# around the batch, with its signature, keywords and top entities, all indexed in Python. The baseline.
WINDOW_POOL_SQL = """
with batch_days as (
    select
        min(coalesce(published_at, fetched_at)) - to_days(cast(ceil($window_days) as integer)) as lo,
        max(coalesce(published_at, fetched_at)) + to_days(cast(ceil($window_days) as integer)) as hi
    from read_parquet($articles)
),

pool as (
    select
        a.article_id,
        coalesce(a.published_at, a.fetched_at) as at,
        a.duplicate_of,
        a.story_id,
        coalesce(a.site_name, regexp_extract(a.canonical_url, '^https?://([^/]+)', 1)) as site
    from articles as a, batch_days as b
    where coalesce(a.published_at, a.fetched_at) between b.lo and b.hi
        or a.article_id in (select article_id from read_parquet($articles))
),

ranked_entities as (
    select
        ae.article_id,
        list(e.name order by ae.salience desc, e.name) as names
    from article_entities as ae
    semi join pool as p on p.article_id = ae.article_id
    inner join entities as e on e.entity_id = ae.entity_id
    group by ae.article_id
)

select
    p.*,
    s.minhash,
    coalesce(s.keywords, []) as keywords,
    coalesce(r.names[1:8], []) as entities,
    p.article_id in (select article_id from read_parquet($articles)) as in_batch
from pool as p
left join article_signatures as s on s.article_id = p.article_id
left join ranked_entities as r on r.article_id = p.article_id
"""


def window_pool_grouping(db: str, batch: str) -> dict[str, float]:
    """The baseline: the cycle's batch upserted as the load does, then grouped as before migration 0012
    (the whole window read and judged in Python), timed, and rolled back."""
    from core import storage
    from core.config import Grouping
    from transform.grouping import regroup
    from warehouse.batch import verified_tables
    from warehouse.db import writer
    from warehouse.grouping import pool_docs
    from warehouse.load import LOAD_SQL, MERGE_SQL
    from warehouse.sqlfile import run_named

    grouping = Grouping()
    with storage.local_folder(batch) as local, writer(db) as con:
        src = verified_tables(local)
        con.execute("begin transaction")
        run_named(con, LOAD_SQL, src)
        con.execute(MERGE_SQL.read_text(encoding="utf-8"))
        started = time.perf_counter()
        docs, new, _ = pool_docs(con.sql(WINDOW_POOL_SQL, params={"articles": src["articles"], "window_days": max(
            grouping.duplicate_window_days, grouping.story_window_days)}).to_arrow_table())
        read = time.perf_counter() - started
        regroup(docs, new, grouping)
        judged = time.perf_counter() - started - read
        con.execute("rollback")
    return {"pool": read, "judge": judged, "peak_mb": peak_mb()}


# Measured before the cycle too: on a month's last day its days are stored apart, until the month closes.
MONTH_END = {
    "series (one entity), a month's last day":
        "select day, mentions, articles, salience from entity_daily_mart where entity_id = 'e000007' order by day",
    "co-occurrence (one entity), a month's last day": "select * from cooccurrence('Entity 7') limit 50",
}


def median_s(fn: Callable[[], object], repeat: int = 5) -> float:
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def queries(db: Path) -> dict[str, float]:
    """Median seconds of the trend queries and the dashboard's main queries on the published snapshot."""
    import streamlit as st
    from streamlit.logger import set_log_level

    set_log_level("error")  # its caches warn that no app is running, on every call

    from dashboard import data
    from warehouse.db import read_connection

    out: dict[str, float] = {}
    with read_connection(db) as con:
        for name, sql, params in [
            ("series (one entity)", "select day, mentions, articles, salience from entity_daily_mart "
             "where entity_id = ? order by day", ["e000007"]),
            ("rising (7 vs 28 days)", "select * from rising_entities(recent_days := 7, baseline_days := 28, "
             "min_articles := 3) limit 50", []),
            ("co-occurrence (one entity)", "select * from cooccurrence(?) limit 50", ["Entity 7"]),
            ("co-occurrence (the most salient entity)", "select * from cooccurrence(?) limit 50", ["Entity 0"]),
            ("co-occurrence, every mention (before v13)", "select * from cooccurrence_all(?) limit 50",
             ["Entity 7"]),
        ]:
            def run(sql: str = sql, params: list[str] = params) -> object:
                return con.execute(sql, params).fetchall()
            out[name] = median_s(run)
    wh = data.Warehouse.at(db)
    start = date(2024, 12, 1)
    for name, call in [
        ("dashboard: summary", lambda: data.summary(wh)),
        ("dashboard: top entities, 30 days", lambda: data.top_entities(wh, start, LAST_DAY)),
        ("dashboard: series of 3 entities", lambda: data.entity_series(wh, ["Entity 7", "Entity 100", "Entity 150"],
                                                                       start, LAST_DAY)),
        ("dashboard: articles, 30 days", lambda: data.articles(wh, start, LAST_DAY)),
        ("dashboard: stories, 30 days", lambda: data.stories(wh, start, LAST_DAY)),
    ]:
        def fresh(call: Callable[[], object] = call) -> object:
            st.cache_data.clear()
            return call()
        out[name] = median_s(fresh)
    return out


def backfill(work: Path, articles: int) -> dict[str, float]:
    """`articles` articles (a year of them) loaded in one batch into an empty warehouse, then checked and
    published, in a process of its own: seconds per step and its peak memory."""
    from bench.synthetic import generate

    generate(work / "batch", articles, 20)
    steps = in_own_process("cycle", work / "newsmon.duckdb", work / "batch")
    out = {f"backfill: {k}": v for k, v in steps.items() if k not in ("peak_mb", "publish_mb")
           and not k.startswith("month close")}
    out["backfill: peak memory (MB)"] = steps["peak_mb"]
    return out


STEPS: dict[str, Callable[[str, str], dict[str, float]]] = {}


def in_own_process(step: str, db: Path, batch: Path) -> dict[str, float]:
    """Run `step` ("cycle" or "baseline") on the warehouse in a new Python process (its peak memory is the
    step's own); its figures come back as JSON on the last line of its output."""
    run = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--step", step, str(db), str(batch)],
                         capture_output=True, text=True, check=False)
    if run.returncode:
        raise RuntimeError(f"bench/scale.py --step {step} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def measure(work: Path, articles: int, cycle: int, say: Callable[[str], None], keep: bool) -> dict[str, float]:
    """Build a warehouse of `articles` under `work`, run one cycle of `cycle` new articles, time queries;
    the warehouse is removed afterwards unless `keep` (disk: the next one needs room)."""
    from bench.synthetic import build, generate
    from warehouse.db import publish, read_connection

    say(f"warehouse of {articles:,} articles:")
    db = build(work, articles, say=say)
    publish(db)  # the second generation of the readers' copy: from here on a publish writes what changed
    for _ in range(2):  # each generation patched once, as a running monitor's are: its next patch reads only
        publish(db)     # the warehouse's block checksums (the generation's were kept beside it)
    size_gb = db.stat().st_size / 1e9
    shutil.rmtree(work / "batch", ignore_errors=True)
    generate(work / "cycle", cycle, 20, first=articles, start=CYCLE_START, span_minutes=60)
    month_end: dict[str, float] = {}
    with read_connection(db) as con:  # the month's days each stored apart, before the cycle closes it
        for name, sql in MONTH_END.items():
            def run(sql: str = sql) -> object:
                return con.execute(sql).fetchall()
            month_end[name] = median_s(run)
    before = in_own_process("baseline", db, work / "cycle")
    steps = in_own_process("cycle", db, work / "cycle")
    month = ("month close", "month close: publish", "month close: publish_mb")  # after the cycle, not in it
    out = {f"cycle: {k}": v for k, v in steps.items() if k not in ("peak_mb", "publish_mb", *month)}
    out["month close, after the publish (once a month)"] = steps["month close"]
    out["month close: its publish"] = steps["month close: publish"]
    out["month close: its publish writes (MB)"] = steps["month close: publish_mb"]
    out["baseline (window pool, before v12): pool"] = before["pool"]
    out["baseline (window pool, before v12): judge"] = before["judge"]
    out["writer peak memory (MB)"] = steps["peak_mb"]
    out["warehouse size (GB)"] = size_gb
    out["cycle's batch (MB)"] = sum(f.stat().st_size for f in (work / "cycle").glob("*.parquet")) / 1e6
    out["publish writes (MB)"] = steps["publish_mb"]
    out.update(queries(db))
    out.update(month_end)
    # the hour after: a cycle like most (no month closes), its steps and what its publish writes
    generate(work / "next", cycle, 20, first=articles + cycle, start=NEXT_START, span_minutes=60)
    after = in_own_process("cycle", db, work / "next")
    for name in ("load (all steps)", "checks", "publish", "month close"):
        out[f"next hour's cycle: {name}"] = after[name]
    out["next hour's cycle: publish writes (MB)"] = after["publish_mb"]
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--baseline", type=int, default=100_000)
    parser.add_argument("--cycle", type=int, default=5_000, help="new articles in the measured cycle")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated warehouses")
    parser.add_argument("--backfill", type=int, default=0, metavar="N",
                        help="also load N articles (a year of them) into an empty warehouse in one batch")
    parser.add_argument("--step", nargs=3, metavar=("STEP", "DB", "BATCH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:  # one measured step, in a process of its own (in_own_process)
        step, db, batch = args.step
        print(json.dumps(STEPS[step](db, batch)))
        return 0

    work = args.workdir or Path(tempfile.mkdtemp(prefix="newsmon-scale-"))
    try:
        small = measure(work / "small", args.baseline, args.cycle, print, args.keep)
        big = measure(work / "big", args.articles, args.cycle, print, args.keep)
        filled = backfill(work / "backfill", args.backfill) if args.backfill else {}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    width = max(len(name) for name in ("measure", *big))
    print(f"\n{'measure':<{width}} {args.baseline:>12,} {args.articles:>12,}   big / small")
    for name in big:
        def shown(value: float, name: str = name) -> str:  # sizes carry their unit in the name
            return f"{value:12,.2f}" if name.endswith(("MB)", "GB)")) else f"{value * 1000:10,.1f}ms"
        print(f"{name:<{width}} {shown(small[name])} {shown(big[name])}   x{big[name] / max(small[name], 1e-9):.2f}")
    if filled:
        print(f"\nbackfill: {args.backfill:,} articles in one batch into an empty warehouse")
        for name, value in filled.items():
            print(f"{name:<{width}} {value:12,.2f}" + ("" if name.endswith(("MB)", "GB)")) else " s"))
    return 0


STEPS.update(cycle=run_cycle, baseline=window_pool_grouping)

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
