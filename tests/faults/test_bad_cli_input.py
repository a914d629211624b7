"""Bad items given to `newsmon parse` and `newsmon entities`: a clear message per bad item, exit code 1,
every good item still processed."""

from __future__ import annotations

import gzip
import json

from tests.cli.test_cli import newsmon
from tests.conftest import FIXTURES


def test_parse_reports_each_bad_file_and_still_parses_the_good_ones(tmp_path):
    good = FIXTURES / "article_meta_only.html"
    truncated = tmp_path / "cut.html.gz"
    truncated.write_bytes(gzip.compress(good.read_bytes())[:200])
    latin = tmp_path / "latin1.html"  # not UTF-8 and no charset declared: decoded, not refused
    latin.write_bytes(good.read_text(encoding="utf-8").replace('<meta charset="utf-8">', "")
                      .replace("hikers", "Caf\u00e9 cr\u00e8me hikers")
                      .encode("latin-1", errors="replace"))
    res = newsmon("parse", "--no-entities", str(tmp_path / "missing.html"), str(truncated), str(good), str(latin))
    assert res.returncode == 1
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["source"] for r in rows] == [str(tmp_path / "missing.html"), str(truncated), str(good), str(latin)]
    assert rows[0]["error"] == "not an article: no such file"
    assert "cannot read it" in rows[1]["error"]
    assert rows[2]["title"] and rows[3]["title"] and "Caf\u00e9 cr\u00e8me" in rows[3]["text"]
    assert "missing.html: no such file" in res.stderr and "cut.html.gz: cannot read it" in res.stderr


def test_entities_reports_malformed_lines_and_answers_the_others():
    lines = ['{"id": 1, "text": "Xi Jinping called Vladimir Putin."}', "{not json", '{"id": 3}',
             '{"id": 4, "text": 7}', '{"id": 5, "text": "Ben Wallace spoke in London."}']
    res = newsmon("entities", stdin="\n".join(lines) + "\n")
    assert res.returncode == 1
    answers = [json.loads(line) for line in res.stdout.splitlines()]
    assert [a["id"] for a in answers] == [1, 5]
    assert {e["entity"] for e in answers[0]["entities"]} >= {"Xi Jinping", "Vladimir Putin"}
    for n in (2, 3, 4):
        assert f"line {n}: skipped" in res.stderr
