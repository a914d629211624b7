"""Credentials in a seed URL (user:password@) are never sent, shown in progress, logged or stored."""

from __future__ import annotations

import logging

from newsmon.pipeline import run_cycle
from tests.conftest import make_settings, read_rows


def test_credentials_in_a_seed_url_go_nowhere(tmp_path, site, caplog):
    seed = site.url("/news/xi-putin-call").replace("http://", "http://editor:s3cret@")
    settings = make_settings(tmp_path, site, seeds=[seed])
    said = []
    with caplog.at_level(logging.DEBUG):
        report = run_cycle(settings, progress=said.append)
    assert report.states["stored"] == 8
    stored = read_rows(settings.db, "select string_agg(url || coalesce(detail, '') || coalesce(final_url, '') || "
                                    "coalesce(discovered_from, ''), ' ') from urls")[0][0]
    stored += read_rows(settings.db, "select string_agg(url || canonical_url || coalesce(related_via, ''), ' ') "
                                     "from articles")[0][0]
    for text in (stored, " ".join(said), caplog.text):
        assert "s3cret" not in text and "editor" not in text
