"""The duplicate benchmark's pair building, scoring and a small whole run on the sample site's own texts."""

from __future__ import annotations

import json
import random

import pytest

from bench.dedup import _edit, build_pairs, main, prf
from sample_site.site import load_articles


def sample_truth(tmp_path):
    arts = load_articles()
    truth = {a["slug"]: {"url": f"http://{a['slug']}.example/", "articleBody": "\n".join(a["body"])}
             for a in arts}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return tmp_path


def test_prf_counts_pairs():
    assert prf([True, True, False, False], [True, False, True, False]) == (0.5, 0.5, 0.5)
    assert prf([False], [False]) == (1.0, 1.0, 1.0)  # nothing to find, nothing claimed


def test_an_edited_copy_keeps_most_of_the_text_but_is_not_the_same():
    body = "\n".join(load_articles()[0]["body"])
    edited = _edit(body, random.Random(1))
    assert edited != body and edited.startswith("In a statement on Thursday")


def test_pairs_come_in_four_kinds_split_by_host(tmp_path):
    pairs = build_pairs(sample_truth(tmp_path))
    kinds = {p.kind for p in pairs}
    assert kinds == {"exact", "edited", "same event, other text", "unrelated"}
    assert {p.half for p in pairs} == {"dev", "test"}
    assert all(p.duplicate == (p.kind in ("exact", "edited")) for p in pairs)


def test_a_small_run_prints_figures_side_by_side(tmp_path, capsys):
    assert main([str(sample_truth(tmp_path)), "--sizes", "300", "--queries", "20", "--no-stories"]) == 0
    out = capsys.readouterr().out
    assert "duplicate threshold chosen on dev" in out and "default 0.50" in out
    assert "LSH lookups/s" in out and "brute force/s" in out
    assert "20/20, 20/20" in out  # both find every planted copy


def test_missing_data_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match=r"ground-truth\.json is missing"):
        main([str(tmp_path)])
