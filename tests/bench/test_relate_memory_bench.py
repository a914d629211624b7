"""bench/relate_memory.py at a small size: it runs, prints both figures, and streaming holds less than
reading the parsed file whole."""

from __future__ import annotations

from bench.relate_memory import main, measure


def test_relate_holds_less_than_the_whole_input(tmp_path):
    m = measure(tmp_path, records=100, kb=80)
    assert m["input_mb"] > 8
    assert m["relate_mb"] < m["whole_mb"], m


def test_main_prints_relate_beside_its_baseline(capsys):
    assert main(["--records", "20", "--kb", "4"]) == 0
    out = capsys.readouterr().out
    assert "relate (streaming)" in out and "baseline: read it whole" in out and "x input" in out
