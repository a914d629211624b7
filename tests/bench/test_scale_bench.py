"""bench/scale.py at a small size: both warehouses built, one cycle on each (every load step timed, the
writer's peak memory read), the queries timed, the ratios printed."""

import re

from bench.scale import main

MEASURES = ["cycle: upsert", "cycle: merge", "cycle: grouping", "cycle: grouping: keys", "cycle: grouping: pool",
            "cycle: grouping: judge", "cycle: grouping: write", "cycle: marts", "cycle: commit",
            "cycle: load (all steps)", "cycle: checks", "cycle: publish",
            "month close, after the publish (once a month)", "month close: its publish",
            "month close: its publish writes (MB)",
            "baseline (window pool, before v12): pool", "baseline (window pool, before v12): judge",
            "writer peak memory (MB)",
            "warehouse size (GB)", "cycle's batch (MB)", "publish writes (MB)", "series (one entity)",
            "rising (7 vs 28 days)",
            "co-occurrence (one entity)", "co-occurrence (the most salient entity)",
            "co-occurrence, every mention (before v13)", "dashboard: summary", "dashboard: top entities, 30 days",
            "dashboard: series of 3 entities", "dashboard: articles, 30 days", "dashboard: stories, 30 days",
            "series (one entity), a month's last day", "co-occurrence (one entity), a month's last day",
            "next hour's cycle: load (all steps)", "next hour's cycle: checks", "next hour's cycle: publish",
            "next hour's cycle: month close", "next hour's cycle: publish writes (MB)"]


def test_scale_bench_runs_a_cycle_and_the_queries_on_two_sizes(tmp_path, capsys):
    assert main(["--articles", "4000", "--baseline", "1000", "--cycle", "200", "--backfill", "2000",
                 "--workdir", str(tmp_path / "w")]) == 0
    out = capsys.readouterr().out
    assert "     1,000        4,000   big / small" in out, out
    rows = dict(re.findall(r"^(\S.*?) +(?:[\d,.]+(?:ms)?) +(?:[\d,.]+(?:ms)?) +x(\d+\.\d\d)$", out, re.M))
    assert list(rows) == MEASURES, out
    memory = re.search(r"^writer peak memory \(MB\) +([\d,.]+)", out, re.M)
    assert memory and 50 < float(memory.group(1).replace(",", "")) < 8000, out
    # the cycle is the first of a month: the month close after it rewrote December and published it
    closed = re.search(r"^month close: its publish writes \(MB\) +([\d,.]+) +([\d,.]+)", out, re.M)
    assert closed and float(closed.group(1)) > 0 and float(closed.group(2)) > 0, out
    assert not (tmp_path / "w").exists()  # the warehouses are removed unless --keep
    assert "backfill: 2,000 articles in one batch into an empty warehouse" in out
    backfill = dict(re.findall(r"^backfill: (.+?) +([\d,.]+)(?: s)?$", out, re.M))
    assert {"grouping", "load (all steps)", "publish", "peak memory (MB)"} <= set(backfill), out
