"""Bad items given to `newsmon parse` and `newsmon entities`: a clear message per bad item, exit code 1,
every good item still processed."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def peak_rss_mb(args: list[str], stdin=None) -> tuple[subprocess.CompletedProcess, float, float]:  # type: ignore[no-untyped-def]
    """Run `newsmon ARGS`; (result, peak resident memory in MB, seconds), the peak sampled while it runs."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errs:
        proc = subprocess.Popen([sys.executable, "-m", "newsmon", *args], stdin=stdin, stdout=out, stderr=errs)
        peak = 0.0
        while proc.poll() is None:
            try:
                status = Path(f"/proc/{proc.pid}/status").read_text()
                peak = max(peak, int(status.split("VmHWM:")[1].split()[0]) / 1024)
            except (OSError, IndexError):
                pass
            time.sleep(0.02)
        out.seek(0)
        errs.seek(0)
        result = subprocess.CompletedProcess(args, proc.returncode, out.read().decode(), errs.read().decode())
    return result, peak, time.monotonic() - started


def test_parse_stops_a_gzip_bomb_and_an_endless_file_at_the_cap(tmp_path):
    bomb = tmp_path / "bomb.html.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:  # 640 MB of zeros in about 650 kB
        for _ in range(40):
            fh.write(bytes(16 << 20))
    assert bomb.stat().st_size < 1_000_000
    res, peak, seconds = peak_rss_mb(["parse", "--no-entities", str(bomb), "/dev/zero",
                                      str(FIXTURES / "article_meta_only.html")])
    assert res.returncode == 1
    assert f"{bomb}: expands past 5,000,000 bytes (--max-bytes)" in res.stderr
    assert "/dev/zero: larger than 5,000,000 bytes (--max-bytes)" in res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert "error" in rows[0] and "error" in rows[1] and rows[2]["title"]  # the good file is still parsed
    assert peak < 500 and seconds < 60, (peak, seconds)
    small = peak_rss_mb(["parse", "--no-entities", "--max-bytes", "1000", str(FIXTURES / "article_meta_only.html")])
    assert "larger than 1,000 bytes" in small[0].stderr


def test_entities_skips_an_over_long_line_and_stops_on_an_endless_one(tmp_path):
    lines = tmp_path / "lines.jsonl"
    lines.write_text('{"id": 1, "text": "Ben Wallace spoke in London."}\n' + "a" * 3_000_000 + "\n"
                     '{"id": 3, "text": "Vladimir Putin called Beijing."}\n', encoding="utf-8")
    with lines.open("rb") as fh:
        res, _, _ = peak_rss_mb(["entities", "--max-bytes", "1000000"], stdin=fh)
    assert res.returncode == 1
    assert [json.loads(x)["id"] for x in res.stdout.splitlines()] == [1, 3]
    assert "line 2: skipped, longer than 1,000,000 bytes (--max-bytes)" in res.stderr
    with open("/dev/zero", "rb") as zero:
        res, peak, seconds = peak_rss_mb(["entities"], stdin=zero)
    assert res.returncode == 1 and res.stdout == ""
    assert "line 1: no end of line within 80,000,000 bytes: the rest of the input is not read" in res.stderr
    assert peak < 500 and seconds < 60, (peak, seconds)
