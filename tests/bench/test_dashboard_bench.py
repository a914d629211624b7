"""bench/dashboard.py and bench/trends.py at a small size: the synthetic warehouse builds and passes the
data checks, every page and interaction the dashboard bench times runs, and the trend bench's queries
answer (a schema change that breaks either fails here, not on the day someone runs them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from warehouse.checks import run_checks
from warehouse.db import read_connection

ROOT = Path(__file__).resolve().parents[2]


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_the_synthetic_warehouse_has_stories_copies_and_passes_the_checks(tmp_path):
    from bench.synthetic import build

    db = build(tmp_path, 2000, say=lambda _m: None)
    assert len(run_checks(db)) >= 10
    with read_connection(db) as con:
        articles, stories, copies, outlets = con.execute(
            "select count(*), count(distinct story_id), count(duplicate_of), count(distinct site_name) "
            "from articles").fetchone()
        relations = {r[0] for r in con.execute("select distinct relation from articles").fetchall()}
        found = con.execute("select count(*) from article_list where relation = 'search' "
                            "and found_via like 'gdelt search: %'").fetchone()[0]
    assert (articles, stories, copies, outlets) == (2000, 250, 100, 40)
    assert relations == {"linked", "feed", "search"} and found == 200


def test_a_warehouse_built_a_slice_at_a_time_is_the_one_built_at_once(tmp_path, monkeypatch):
    """bench/scale.py builds ten million articles in slices (memory); the slices must make the same data."""
    import bench.synthetic
    from bench.synthetic import build

    whole = build(tmp_path / "whole", 3000, say=lambda _m: None)
    monkeypatch.setattr(bench.synthetic, "SLICE", 1000)
    said: list[str] = []
    sliced = build(tmp_path / "sliced", 3000, say=said.append)
    assert sum("generated" in m for m in said) == 3
    tables = ("articles", "mentions", "article_entities", "urls", "article_signatures", "story_keys",
              "duplicate_bands", "stories", "entity_daily_mart", "entity_pairs_mart", "entity_totals")
    digests = []
    for db in (whole, sliced):
        with read_connection(db) as con:
            digests.append({t: con.execute(f"select count(*), sum(hash(columns(*))) from (select * from {t})")
                            .fetchall() for t in tables})
    assert digests[0] == digests[1]
    assert digests[0]["entity_pairs_mart"][0][0] > 0


def test_dashboard_bench_times_every_page_and_interaction_at_a_small_size():
    run = bench("bench/dashboard.py", "--articles", "3000", "--baseline", "300", "--repeat", "1")
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    timed = [line for line in lines if ": " in line and " x" in line]
    assert len(timed) == 17, run.stdout  # 6 first renders, 11 interactions
    for page in ("Overview", "Entities", "Stories", "Articles", "Outlets", "Crawl health"):
        assert any(line.startswith(f"{page}: first render") for line in timed), page
    assert any(line.startswith("interactions at 3,000 articles: median") for line in lines)


def test_trends_bench_runs_at_a_small_size():
    run = bench("bench/trends.py", "--articles", "3000", "--mentions-per-article", "5", "--sample", "500")
    assert "rising entities" in run.stdout and "co-occurrence for one entity" in run.stdout, run.stdout + run.stderr
    assert "data checks over every row" in run.stdout
