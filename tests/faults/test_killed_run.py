"""A `newsmon run` killed (SIGKILL) during parse or during load loses nothing: the next run stores exactly
what an uninterrupted run stores, because the crawl state commits with the articles it describes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from sample_site import SampleSite
from tests.conftest import make_settings, read_rows, write_config


def newsmon_run(config, kill_at: str | None = None) -> tuple[int, str]:
    """Run `newsmon run`; with `kill_at`, SIGKILL it as soon as it reports that stage. (exit code, stderr)"""
    proc = subprocess.Popen([sys.executable, "-m", "newsmon", "run", "--config", str(config)],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=os.environ.copy())
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if kill_at and line.startswith(f"stage {kill_at}"):
            proc.send_signal(signal.SIGKILL)
            break
    lines += proc.stderr.readlines()
    return proc.wait(timeout=300), "".join(lines)


def warehouse(db) -> dict:
    """Rows to compare across runs against sites on different ports (paths instead of URLs)."""
    path = "regexp_replace({}, '^http://[^/]+', '')"
    return {
        "articles": sorted(read_rows(db, f"select {path.format('canonical_url')}, md5(text), version, "
                                         "removed_at is null from articles")),
        "urls": sorted(read_rows(db, f"select {path.format('url')}, state, article_id is not null from urls")),
        "mentions": read_rows(db, "select count(*) from mentions")[0][0],
    }


def two_cycles(tmp_path, kill_at: str | None) -> dict:
    """Cycle 1 on the first edition; the site publishes edition 1; then cycle 2 (killed and rerun, or not)."""
    with SampleSite() as site:
        settings = make_settings(tmp_path, site, revisit_after_s=[0.0])
        config = write_config(tmp_path / "newsmon.toml", settings)
        assert newsmon_run(config)[0] == 0
        site.advance()
        if kill_at:
            code, err = newsmon_run(config, kill_at)
            assert code == -signal.SIGKILL, err
        code, err = newsmon_run(config)
        assert code == 0, err
        assert "stored" in err
        rows = warehouse(settings.db)
        # the rerun fetched the pages the killed run had fetched: nothing was taken as already stored
        assert {"xi-putin-follow-up-1"} <= {u.rsplit("/", 1)[-1] for u, *_ in rows["articles"]}
        return rows


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    return two_cycles(tmp_path_factory.mktemp("uninterrupted"), None)


@pytest.mark.parametrize("stage", ["parse", "load"])
def test_killed_run_is_followed_by_a_complete_one(stage, tmp_path, uninterrupted):
    assert two_cycles(tmp_path, stage) == uninterrupted


def test_a_304_for_a_stored_page_whose_article_is_missing_reloads_the_kept_body(tmp_path, site):
    import duckdb

    from newsmon.pipeline import run_cycle
    from warehouse.checks import DataCheckFailed, run_checks

    settings = make_settings(tmp_path, site, revisit_after_s=[0.0])
    run_cycle(settings)
    con = duckdb.connect(str(settings.db))  # an article lost behind the frontier's back
    (aid,) = con.execute("select article_id from articles where canonical_url like '%/taiwan-next-door'").fetchone()
    for table in ("mentions", "article_entities", "articles"):
        con.execute(f"delete from {table} where article_id = ?", [aid])
    con.close()
    with pytest.raises(DataCheckFailed, match="urls_article_states_have_article"):
        run_checks(settings.db)
    seen = len(site.hits)
    report = run_cycle(settings)
    taiwan = [h for h in site.hits[seen:] if h.path.endswith("/taiwan-next-door")]
    assert [h.status for h in taiwan] == [304]  # revalidated, not downloaded again
    assert report.states["stored"] == 1 and report.loaded["articles"] == 1
    assert read_rows(settings.db, f"select count(*) from articles where article_id = '{aid}'") == [(1,)]
    run_checks(settings.db)
