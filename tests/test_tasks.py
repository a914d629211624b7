"""Task bodies: results of map indexes an earlier attempt of a cleared run left behind are ignored."""

import logging

from newsmon.tasks import _current


def test_stale_results_of_an_earlier_attempt_are_ignored(tmp_path, caplog):
    kept = tmp_path / "r1-0000.jsonl"
    kept.write_text("", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="newsmon.tasks"):
        assert _current([str(kept), "", str(tmp_path / "r2-0001.jsonl")]) == [str(kept)]
    assert "earlier attempt" in caplog.text and "r2-0001.jsonl" in caplog.text
