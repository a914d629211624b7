"""bench/declined.py at a small size: our sample network, and a set folder of two of our fixture pages."""

import gzip
import json

from bench.declined import main, reason_kind
from tests.conftest import FIXTURES


def test_declined_bench_counts_both_mistakes_on_the_sample_network_and_a_set(tmp_path, capsys):
    (tmp_path / "html").mkdir()
    truth = {}
    for name in ("article_jsonld.html", "listing.html"):
        pid = name.split(".")[0]
        (tmp_path / "html" / f"{pid}.html.gz").write_bytes(gzip.compress((FIXTURES / name).read_bytes()))
        truth[pid] = {"url": f"https://example.test/{pid}", "articleBody": ""}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    assert main([str(tmp_path), str(tmp_path / "absent"), "--show", "5"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith(tmp_path.name))
    assert row.split()[1:4] == ["2", "1", "0.500"] and "a listing of N stories" in row
    assert "listing: a listing of 4 stories" in out
    assert "not found" in out
    assert "28 articles, 0 declined; 10 other pages, 0 stored as articles" in out


def test_reasons_are_counted_by_kind():
    assert reason_kind("a listing of 4 stories without article markup (the largest has 25 words)") == \
        "a listing of N stories without article markup"
