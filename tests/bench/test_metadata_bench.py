"""bench/metadata.py at a small size, on a folder of our own fixture pages with gold titles and authors."""

import gzip
import json

from bench.metadata import Tally, main
from tests.conftest import FIXTURES


def test_metadata_bench_scores_titles_and_authors_per_fold(tmp_path, capsys):
    (tmp_path / "html").mkdir()
    truth = {}
    for n, name in enumerate(("article_jsonld.html", "article_meta_only.html", "article_boilerplate.html")):
        pid = name.split(".")[0]
        (tmp_path / "html" / f"{pid}.html.gz").write_bytes(gzip.compress((FIXTURES / name).read_bytes()))
        truth[pid] = {"url": f"https://site{n}.example/{pid}", "title": "No such title", "authors": ["Nobody Here"]}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    assert main([str(tmp_path), "--folds", "2"]) == 0
    out = capsys.readouterr().out
    assert "3 pages from" in out
    assert "authors F1, newsmon without visible_byline" in out and "authors F1, trafilatura" in out
    title_row = next(line for line in out.splitlines() if line.startswith("title exact, newsmon"))
    assert title_row.split()[-1] == "0.000"  # no page has that title


def test_tally_counts_names_and_exact_lists():
    t = Tally()
    t.add({"title": "A", "authors": ["Ann Lee", "Bo Chan"]}, "a", ["ann  lee", "Cy Dee"])
    t.add({"title": None, "authors": []}, None, [])
    title, p, r, f1, exact = t.figures()
    assert (title, p, r, exact) == (1.0, 0.5, 0.5, 0.5) and abs(f1 - 0.5) < 1e-9
