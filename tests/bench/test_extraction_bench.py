"""The extraction benchmark's scoring and its run on a small folder of our own pages."""

import gzip
import json
import re

import pytest

from bench.extraction import main, page_scores, shingles
from tests.conftest import FIXTURES


def test_shingles_are_four_token_multisets():
    assert shingles("a b c d e") == {"a b c d": 1, "b c d e": 1}
    assert shingles("a b") == {"a b": 1}  # fewer than four tokens: one shingle
    assert shingles("") == {}


def test_page_scores():
    truth = "one two three four five six"
    assert page_scores(truth, truth) == (1.0, 1.0)
    assert page_scores("", "") == (1.0, 1.0)
    assert page_scores(truth, "") == (0.0, 0.0)
    precision, recall = page_scores(truth, truth + " seven eight")
    assert recall == 1.0 and precision == pytest.approx(3 / 5)
    precision, recall = page_scores(truth, "one two three four five")
    assert precision == 1.0 and recall == pytest.approx(2 / 3)


def test_missing_data_folder_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit) as err:
        main([str(tmp_path / "absent")])
    assert "benchmark data not found" in str(err.value)


def test_runs_on_a_folder_of_our_pages(tmp_path, capsys):
    (tmp_path / "html").mkdir()
    truth = {}
    for name, body in (("article_jsonld.html", "Councillors in Port Ardent voted on Tuesday"),
                       ("article_meta_only.html", "Night trains will run on the valley line again")):
        pid = name.split(".")[0]
        (tmp_path / "html" / f"{pid}.html.gz").write_bytes(gzip.compress((FIXTURES / name).read_bytes()))
        truth[pid] = {"url": f"https://example.test/{pid}", "articleBody": body}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    assert main([str(tmp_path), "--repeat", "1", "--worst", "2", "--no-whole-process"]) == 0
    out = capsys.readouterr().out
    assert "2 pages from" in out
    assert out.count("trafilatura 2.3.1") == 1 and "newsmon/trafilatura: F1" in out


def test_folds_keep_a_sites_pages_together_and_are_balanced():
    from pathlib import Path

    from bench.extraction import host_folds, page_hosts

    pages = {f"p{i}": ("", f"https://www.site{i % 7}.example/a{i}", "") for i in range(28)}
    folds = host_folds(page_hosts(Path("/nonexistent"), pages), 3)
    assert sorted(p for f in folds for p in f) == sorted(pages)
    hosts = [{pages[p][1].split("/")[2].removeprefix("www.") for p in f} for f in folds]
    assert all(not (a & b) for i, a in enumerate(hosts) for b in hosts[i + 1:])  # no site in two folds
    assert sorted(len(h) for h in hosts) == [2, 2, 3]


def test_hosts_come_from_the_index_when_the_ground_truth_has_no_url(tmp_path):
    from bench.extraction import host_folds, page_hosts

    pages = {"d-1": ("", "", ""), "d-2": ("", "", ""), "d-3": ("", "https://www.c.example/x", "")}
    (tmp_path / "index.tsv").write_text("id\thost\tgold_words\nd-1\twww.a.example\t10\nd-2\tb.example\t5\n",
                                        encoding="utf-8")
    assert page_hosts(tmp_path, pages) == {"d-1": "a.example", "d-2": "b.example", "d-3": "c.example"}
    assert sorted(map(len, host_folds(page_hosts(tmp_path, pages), 3))) == [1, 1, 1]


def test_a_rule_can_be_switched_off_and_comes_back():
    from bench.extraction import without
    from transform.boilerplate import is_boilerplate_line

    line = "By Mei Lin Howard"
    assert is_boilerplate_line(line)
    with without({"byline"}):
        assert not is_boilerplate_line(line)
    assert is_boilerplate_line(line)


def test_cross_validation_runs_on_pages_from_several_sites(tmp_path, capsys):
    (tmp_path / "html").mkdir()
    truth = {}
    for n, (name, body) in enumerate((("article_jsonld.html", "Councillors in Port Ardent voted on Tuesday"),
                                      ("article_meta_only.html", "Night trains will run on the valley line again"),
                                      ("article_text_date.html", "The harbour"))):
        pid = name.split(".")[0]
        (tmp_path / "html" / f"{pid}.html.gz").write_bytes(gzip.compress((FIXTURES / name).read_bytes()))
        truth[pid] = {"url": f"https://site{n}.test/{pid}", "articleBody": body}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    assert main([str(tmp_path), "--repeat", "1", "--worst", "0", "--folds", "3", "--no-whole-process"]) == 0
    out = capsys.readouterr().out
    assert "leave-sites-out: 3 folds by host (1, 1, 1 pages)" in out
    assert "newsmon F1: whole set" in out and "leave-sites-out" in out


def test_whole_process_times_real_commands(tmp_path, capsys):
    from bench.extraction import whole_process

    pages = {n.split(".")[0]: ((FIXTURES / n).read_text(encoding="utf-8"), "", "")
             for n in ("article_jsonld.html", "article_meta_only.html")}
    whole_process(pages, 1)
    out = capsys.readouterr().out
    assert "whole process, start-up included, 2 pages" in out
    for name in ("newsmon parse --no-entities", "trafilatura --input-dir", "plain trafilatura script"):
        assert re.search(rf"{re.escape(name)} +\d+\.\d\d s +speed x\d+\.\d\d", out), out


def test_every_rule_switched_off_is_trafilatura_with_its_defaults():
    """With RULES all off, the extractor's main text is trafilatura's default extraction, but for the
    |---| rule lines of tables (no words): each rule is a measured deviation from the library."""
    import trafilatura

    from bench.extraction import RULES, without
    from transform.article import main_text
    from transform.boilerplate import TABLE_RULE

    html = (FIXTURES / "article_boilerplate.html").read_text(encoding="utf-8")
    with without(set(RULES)):
        ours = main_text(html)
    plain = trafilatura.extract(html, include_comments=True, include_images=False) or ""
    assert [" ".join(line.split()) for line in plain.splitlines()
            if line.strip() and not TABLE_RULE.match(line)] == ours.splitlines()
    assert main_text(html) != ours  # and with them on, the boilerplate lines go
