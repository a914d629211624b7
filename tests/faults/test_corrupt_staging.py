"""A truncated staging file: the stage that reads it fails naming the file; the next run plans afresh
and stores everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.staging import StagingCorrupt
from newsmon.pipeline import crawl, run_cycle
from newsmon.stage import parse_manifest, relate
from tests.conftest import make_settings, read_rows


def test_a_truncated_staging_file_fails_its_stage_by_name_and_the_next_run_recovers(tmp_path, site):
    settings = make_settings(tmp_path, site)
    manifests = crawl(settings, "broken-run", lambda _m: None, lambda _n, _t: None)
    victim = next(m for m in manifests if "fetched" in m)
    text = Path(victim).read_text(encoding="utf-8")
    Path(victim).write_text(text[: len(text) // 2], encoding="utf-8")  # cut mid-record, as a damaged disk would
    with pytest.raises(StagingCorrupt, match=f"staging file {victim} is corrupt at line"):
        parse_manifest(settings, victim)
    parsed = [parse_manifest(settings, m) for m in manifests if m != victim]
    with open(parsed[0], "a", encoding="utf-8") as fh:
        fh.write('{"url": "http://cut')
    with pytest.raises(StagingCorrupt, match="is corrupt at line"):
        relate(settings, "broken-run", parsed)
    report = run_cycle(settings)
    assert report.states["stored"] == 8
    assert read_rows(settings.db, "select count(*) from articles") == [(8,)]
