"""A kept raw body that is truncated, or missing from the store: the page is fetched again without
validators (so the server sends the body), the file is named in the ledger, and nothing else fails."""

from __future__ import annotations

import pytest

from extract.rawstore import CorruptRaw, RawStore
from newsmon.pipeline import run_cycle
from tests.conftest import make_settings, read_rows
from warehouse.checks import run_checks


@pytest.mark.parametrize("damage", ["truncated", "missing"])
def test_a_damaged_raw_body_is_fetched_again(tmp_path, fresh_site, damage):
    settings = make_settings(tmp_path, fresh_site, revisit_after_s=[0.0])
    run_cycle(settings)
    (sha,) = read_rows(settings.db, "select raw_sha256 from urls where url like '%/news/taiwan-next-door'")[0]
    store = RawStore(settings.data_dir)
    path = store.path(sha)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:40])
        with pytest.raises(CorruptRaw, match=sha):
            store.get(sha)
    else:
        path.unlink()
    seen = len(fresh_site.hits)
    report = run_cycle(settings)
    taiwan = [h for h in fresh_site.hits[seen:] if h.path == "/news/taiwan-next-door"]
    assert [(h.status, h.if_none_match) for h in taiwan] == [(200, None)]  # no validators: the body again
    assert store.get(sha)  # stored again, readable
    (state, detail), = read_rows(settings.db, "select state, detail from urls where url like '%/news/taiwan-next-door'")
    assert state in ("stored", "unchanged")
    if damage == "truncated":
        assert str(path) in detail and "corrupt" in detail
        assert path.with_suffix(".gz.corrupt").exists()  # kept aside for diagnosis
    assert report.checks >= 10
    run_checks(settings.db)
