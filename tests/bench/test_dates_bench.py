"""The date benchmark (bench/dates.py) on a small folder of our own pages: every figure printed, per fold."""

import gzip
import json

from bench.dates import host_fold, main
from tests.conftest import FIXTURES


def test_host_fold_keeps_a_sites_pages_together():
    assert host_fold("https://www.gazette.example/a", 5) == host_fold("http://gazette.example/b/c", 5)
    assert {host_fold(f"https://site{n}.example/", 5) for n in range(40)} == set(range(5))


def test_missing_data_folder_is_a_clear_error(tmp_path, capsys):
    assert main([str(tmp_path / "absent")]) == 2
    assert "no ground-truth.json" in capsys.readouterr().err


def test_runs_on_a_folder_of_our_pages(tmp_path, capsys):
    (tmp_path / "html").mkdir()
    pages = {"a": ("article_jsonld.html", "https://gazette.example/local/sea-wall", "2022-06-14"),
             "b": ("article_meta_only.html", "https://valleypost.example/t", "2022-06-13"),  # -04:00: the 13th
             "c": ("article_url_date.html", "https://isles.example/2022/06/11/keeper", "2022-06-11"),
             "d": ("article_jsonld.html", "https://other.example/x", None)}  # no gold: left out
    truth = {}
    for pid, (name, url, day) in pages.items():
        (tmp_path / "html" / f"{pid}.html.gz").write_bytes(gzip.compress((FIXTURES / name).read_bytes()))
        truth[pid] = {"url": url, "date": day}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    assert main([str(tmp_path), "--folds", "2"]) == 0
    out = capsys.readouterr().out
    assert "3 pages with a gold day" in out
    rows = {line.split("  ")[0]: line.split()[-1] for line in out.splitlines() if line[:1].isalpha()}
    assert rows["newsmon"] == "1.000"  # the stated day, the meta-only page's included
    assert rows["newsmon UTC day"] == "0.667"  # its UTC day is the 14th
    for name in ("htmldate", "without own_time", "without local_offset", "without url_day", "without extensive"):
        assert name in rows
    assert "time per page: newsmon" in out
