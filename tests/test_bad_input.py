"""Bad pages never fail a run: each ends as a ledger entry with its reason."""

import duckdb

from newsmon.pipeline import run_cycle
from tests.conftest import make_settings

BAD = ["/bad/malformed", "/bad/binary", "/bad/huge", "/bad/loop", "/bad/missing", "/bad/private-link",
       "/bad/report.pdf"]


def ledger(db, site):
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select url, state, detail from urls").fetchall()
    finally:
        con.close()
    return {url.replace(site.base_url, ""): (state, detail) for url, state, detail in rows}


def test_bad_pages_become_ledger_entries_and_the_run_succeeds(tmp_path, site):
    seeds = [site.url("/news/xi-putin-call")] + [site.url(p) for p in BAD]
    settings = make_settings(tmp_path, site, seeds=seeds, max_depth=1)
    report = run_cycle(settings)
    entries = ledger(settings.db, site)
    assert entries["/news/xi-putin-call"][0] == "stored"
    assert entries["/bad/malformed"][0] == "not_article"
    assert entries["/bad/binary"] == ("not_article", "binary content, not text")
    assert entries["/bad/report.pdf"] == ("not_article", "not HTML (application/pdf)")
    assert entries["/bad/huge"][0] == "failed" and "too large" in entries["/bad/huge"][1]
    assert entries["/bad/loop"][0] == "failed" and "redirect loop" in entries["/bad/loop"][1]
    assert entries["/bad/missing"] == ("failed", "HTTP 404 Not Found")
    private = [(u, s, d) for u, (s, d) in entries.items() if "127.0.0.2" in u]
    assert len(private) == 1 and private[0][1] == "blocked" and "non-public address 127.0.0.2" in private[0][2]
    assert report.checks >= 10


def test_loopback_seed_without_opt_in_is_blocked_not_fetched(tmp_path, fresh_site):
    settings = make_settings(tmp_path, fresh_site, allow_private_networks=False)
    report = run_cycle(settings)
    entries = ledger(settings.db, fresh_site)
    assert entries["/news/xi-putin-call"][0] == "blocked"
    assert "allow_private_networks" in entries["/news/xi-putin-call"][1]
    assert fresh_site.hits == []
    assert report.loaded["articles"] == 0


def test_a_page_that_crashes_the_parser_is_a_ledger_entry(tmp_path, site, monkeypatch):
    import transform.article

    real = transform.article.extract_article

    def fragile(html, url, feed_published=None):
        if "taiwan-next-door" in url:
            raise RecursionError("maximum recursion depth exceeded")
        return real(html, url, feed_published)

    monkeypatch.setattr(transform.article, "extract_article", fragile)  # the parse stage imports it when it runs
    settings = make_settings(tmp_path, site)
    report = run_cycle(settings)
    entries = ledger(settings.db, site)
    state, detail = entries["/news/taiwan-next-door"]
    assert (state, detail) == ("failed", "parse error: RecursionError: maximum recursion depth exceeded")
    assert entries["/news/xi-putin-call"][0] == "stored"
    assert report.loaded["articles"] == 7


def test_malformed_seeds_are_config_errors_naming_them(tmp_path):
    from tests.cli.test_cli import newsmon

    for seed, why in [("http://[::1/article", "Invalid IPv6 URL"), ("http:///nohost", "no host"),
                      ("https://127.0.0.1:99999/x", "Port out of range")]:
        config = tmp_path / "bad.toml"
        config.write_text(f'seeds = ["{seed}"]\nfeeds = []\n', encoding="utf-8")
        res = newsmon("run", "--config", str(config))
        assert res.returncode == 2, res.stderr
        assert f"not a usable URL: '{seed}' ({why}" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    config.write_text('seeds = ["https://n.example/a"]\nfeeds = ["http:///feed.xml"]\n', encoding="utf-8")
    assert newsmon("run", "--config", str(config)).returncode == 2


def test_a_run_where_no_seed_could_be_fetched_exits_non_zero_with_the_reasons(tmp_path, site):
    from tests.cli.test_cli import newsmon
    from tests.conftest import write_config

    seeds = [site.url("/bad/missing"), site.url("/private/embargoed-briefing")]
    config = write_config(tmp_path / "newsmon.toml", make_settings(tmp_path, site, seeds=seeds))
    res = newsmon("run", "--config", str(config))
    assert res.returncode == 1
    assert f"seed {site.url('/bad/missing')}: failed: HTTP 404 Not Found" in res.stderr
    assert f"seed {site.url('/private/embargoed-briefing')}: robots_disallowed:" in res.stderr
    assert "no seed could be fetched (2 tried)" in res.stderr
    entries = ledger(tmp_path / "newsmon.duckdb", site)
    assert entries["/bad/missing"][0] == "failed" and entries["/private/embargoed-briefing"][0] == "robots_disallowed"
