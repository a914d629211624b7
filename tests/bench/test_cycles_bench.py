"""bench/cycles.py at a small size: whole `newsmon run` processes on warehouses of two sizes and on eight
hosts. At this size the goals are not the point (one cycle of the sample site dwarfs 100 stored articles,
and a 0.05 s delay is shorter than a page's processing), so the test checks that every figure is
measured and printed, not the verdict."""

import re

from bench.cycles import main


def test_cycles_bench_measures_cycle_cost_and_politeness_at_a_small_size(capsys):
    assert main(["--small", "20", "--large", "200", "--trials", "1", "--delay", "0.05", "--hosts", "2"]) in (0, 1)
    out = capsys.readouterr().out
    assert re.search(r"^  20 +\d+\.\ds +\d+ MB$", out, re.M) and re.search(r"^  200 +\d+\.\ds +\d+ MB$", out, re.M), out
    assert re.search(r"ratio 200 / 20: time x\d+\.\d\d, memory x\d+\.\d\d", out), out
    for name in ("fetch_workers = 8", "sequential \\(1\\)"):
        assert re.search(rf"^  {name} +\d\.\d\d +\([1-9]\d* requests in \d+\.\d s\)$", out, re.M), out
    assert "all goals met" in out or "some goals missed" in out
