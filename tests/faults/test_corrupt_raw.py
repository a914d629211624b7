"""A kept raw body that is truncated, or missing from the store.

A revisit reads the kept body only when a 304 would have it read again (core.staging.reads_kept_body: a
seed, whose text makes the search profile, or a stored page whose article is not in the warehouse). Such a
damaged body is found before the request: the page is fetched again without validators (so the server
sends the body), the damaged file is set aside and named in the ledger, and nothing else fails. Any other
revisit sends its validators without reading the body (on object storage that read was half of a
revisit's requests); its damage is found when the body is next needed."""

from __future__ import annotations

import duckdb
import pytest

from extract.rawstore import CorruptRaw, RawStore
from newsmon.pipeline import run_cycle
from tests.conftest import make_settings, read_rows
from warehouse.checks import run_checks


def damage_body(settings, path_like: str, damage: str) -> tuple[RawStore, str]:
    (sha,) = read_rows(settings.db, f"select raw_sha256 from urls where url like '%{path_like}'")[0]
    store = RawStore(settings.data_dir)
    path = store.path(sha)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:40])
        with pytest.raises(CorruptRaw, match=sha):
            store.get(sha)
    else:
        path.unlink()
    return store, sha


@pytest.mark.parametrize("damage", ["truncated", "missing"])
def test_a_damaged_body_that_is_needed_is_fetched_again(tmp_path, fresh_site, damage):
    settings = make_settings(tmp_path, fresh_site, revisit_after_s=[0.0])
    run_cycle(settings)
    store, sha = damage_body(settings, "/news/xi-putin-call", damage)  # the seed: its text is read every cycle
    path = store.path(sha)
    seen = len(fresh_site.hits)
    report = run_cycle(settings)
    seed = [h for h in fresh_site.hits[seen:] if h.path == "/news/xi-putin-call"]
    assert [(h.status, h.if_none_match) for h in seed] == [(200, None)]  # no validators: the body again
    assert store.get(sha)  # stored again, readable
    (state, detail), = read_rows(settings.db, "select state, detail from urls where url like '%/news/xi-putin-call'")
    assert state in ("stored", "unchanged")
    if damage == "truncated":
        assert str(path) in detail and "corrupt" in detail
        assert path.with_suffix(".gz.corrupt").exists()  # kept aside for diagnosis
    assert report.checks >= 10
    run_checks(settings.db)


def test_a_damaged_body_that_is_not_needed_is_left_until_it_is(tmp_path, fresh_site):
    settings = make_settings(tmp_path, fresh_site, revisit_after_s=[0.0])
    run_cycle(settings)
    store, sha = damage_body(settings, "/news/taiwan-next-door", "truncated")
    seen = len(fresh_site.hits)
    run_cycle(settings)  # the article is in the warehouse: validators sent unread, 304, article kept
    taiwan = [h for h in fresh_site.hits[seen:] if h.path == "/news/taiwan-next-door"]
    assert [h.status for h in taiwan] == [304] and taiwan[0].if_none_match
    assert read_rows(settings.db, "select state from urls where url like '%/news/taiwan-next-door'") == \
        [("unchanged",)]
    # the article leaves the warehouse: now a 304 would need the body, so the damage is found first
    con = duckdb.connect(str(settings.db))
    (aid,) = con.execute("select article_id from urls where url like '%/news/taiwan-next-door'").fetchone()
    for table in ("mentions", "article_entities", "article_signatures", "articles"):
        con.execute(f"delete from {table} where article_id = ?", [aid])
    con.close()
    seen = len(fresh_site.hits)
    run_cycle(settings)
    taiwan = [h for h in fresh_site.hits[seen:] if h.path == "/news/taiwan-next-door"]
    assert [(h.status, h.if_none_match) for h in taiwan] == [(200, None)]
    assert store.get(sha) and read_rows(settings.db, f"select count(*) from articles where article_id = '{aid}'") == \
        [(1,)]
    run_checks(settings.db)
