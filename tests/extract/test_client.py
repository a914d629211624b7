"""The HTTP client against the sample site over real HTTP on 127.0.0.1."""

import itertools
import time

from extract.client import Fetcher
from sample_site.site import Page
from tests.conftest import make_settings


def test_user_agent_names_newsmon_and_contact(tmp_path, fresh_site):
    settings = make_settings(tmp_path, fresh_site, contact_url="https://ops.example/newsmon")
    res = Fetcher(settings).get(fresh_site.url("/news/xi-putin-call"))
    assert res.state == "ok" and res.status == 200
    agents = {h.user_agent for h in fresh_site.hits}
    assert len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("newsmon/") and "https://ops.example/newsmon" in agent


def test_robots_fetched_once_per_host_and_disallow_honoured(tmp_path, fresh_site):
    fetcher = Fetcher(make_settings(tmp_path, fresh_site))
    res = fetcher.get(fresh_site.url("/private/embargoed-briefing"))
    assert res.state == "robots_disallowed"
    fetcher.get(fresh_site.url("/news/xi-putin-call"))
    fetcher.get(fresh_site.url("/news/taiwan-next-door"))
    paths = [h.path for h in fresh_site.hits]
    assert paths.count("/robots.txt") == 1
    assert "/private/embargoed-briefing" not in paths


def test_crawl_delay_from_robots(tmp_path, fresh_site):
    fresh_site.pages["/robots.txt"].body = b"User-agent: *\nCrawl-delay: 0.4\nDisallow: /private/\n"
    fetcher = Fetcher(make_settings(tmp_path, fresh_site, per_host_delay_s=0.0))
    for path in ("/news/xi-putin-call", "/news/taiwan-next-door", "/news/allotment-show"):
        assert fetcher.get(fresh_site.url(path)).state == "ok"
    stamps = [h.at for h in fresh_site.hits if h.path.startswith("/news/")]
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(gaps) >= 0.38


def test_per_host_delay(tmp_path, fresh_site):
    fetcher = Fetcher(make_settings(tmp_path, fresh_site, per_host_delay_s=0.3))
    for path in ("/news/xi-putin-call", "/news/taiwan-next-door", "/news/allotment-show"):
        fetcher.get(fresh_site.url(path))
    stamps = [h.at for h in fresh_site.hits]  # robots.txt counts as a request to the host too
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert len(gaps) == 3 and min(gaps) >= 0.28


def test_conditional_get_returns_not_modified(tmp_path, fresh_site):
    fetcher = Fetcher(make_settings(tmp_path, fresh_site))
    first = fetcher.get(fresh_site.url("/news/taiwan-next-door"))
    assert first.etag and first.last_modified
    again = fetcher.get(fresh_site.url("/news/taiwan-next-door"), lambda _u: {"etag": first.etag})
    assert again.state == "not_modified" and again.status == 304 and again.body is None
    by_date = fetcher.get(fresh_site.url("/news/taiwan-next-door"),
                          lambda _u: {"last_modified": first.last_modified})
    assert by_date.state == "not_modified"
    assert fresh_site.hits[-1].if_modified_since == first.last_modified


def test_redirect_followed_with_validators_of_each_hop(tmp_path, fresh_site):
    fetcher = Fetcher(make_settings(tmp_path, fresh_site))
    res = fetcher.get(fresh_site.url("/story/1002"))
    assert res.state == "ok"
    assert res.final_url == fresh_site.url("/news/beijing-omicron-lockdown")
    assert res.redirects == [fresh_site.url("/story/1002")]
    known = {res.final_url: {"etag": res.etag}}
    again = fetcher.get(fresh_site.url("/story/1002"), lambda u: known.get(u, {}))
    assert again.state == "not_modified"


def test_redirect_loop_is_a_failure_with_reason(tmp_path, fresh_site):
    res = Fetcher(make_settings(tmp_path, fresh_site)).get(fresh_site.url("/bad/loop"))
    assert res.state == "failed" and "redirect loop" in res.detail


def test_decompressed_size_cap(tmp_path, fresh_site):
    res = Fetcher(make_settings(tmp_path, fresh_site)).get(fresh_site.url("/bad/huge"))
    assert res.state == "failed" and "too large" in res.detail
    small_cap = make_settings(tmp_path, fresh_site, max_bytes=1000)
    assert "too large" in Fetcher(small_cap).get(fresh_site.url("/news/xi-putin-call")).detail


def test_retries_503_honouring_retry_after(tmp_path, fresh_site):
    fetcher = Fetcher(make_settings(tmp_path, fresh_site, retries=3))
    started = time.monotonic()
    res = fetcher.get(fresh_site.url("/bad/flaky"))
    assert res.state == "ok" and res.status == 200
    statuses = [h.status for h in fresh_site.hits if h.path == "/bad/flaky"]
    assert statuses == [503, 503, 200]
    assert time.monotonic() - started >= 1.9  # Retry-After: 1, twice


def test_retry_after_is_capped(tmp_path, fresh_site):
    fresh_site.pages["/bad/flaky"].fail_first = 5
    settings = make_settings(tmp_path, fresh_site, retries=1, max_retry_after_s=0.2)
    started = time.monotonic()
    res = Fetcher(settings).get(fresh_site.url("/bad/flaky"))
    assert res.state == "failed" and "503" in res.detail
    assert time.monotonic() - started < 1.0


def test_total_deadline(tmp_path, fresh_site):
    settings = make_settings(tmp_path, fresh_site, deadline_s=0.5)
    res = Fetcher(settings).get(fresh_site.url("/bad/slow"))
    assert res.state == "failed" and "deadline" in res.detail


def test_connection_refused_is_a_failure(tmp_path, fresh_site):
    settings = make_settings(tmp_path, fresh_site, retries=1)
    res = Fetcher(settings).get("http://127.0.0.1:9/nothing-listens-here")
    assert res.state == "failed" and "ConnectionError" in res.detail


def test_loopback_refused_without_opt_in(tmp_path, fresh_site):
    settings = make_settings(tmp_path, fresh_site, allow_private_networks=False)
    res = Fetcher(settings).get(fresh_site.url("/news/xi-putin-call"))
    assert res.state == "blocked" and "127.0.0.1" in res.detail
    assert fresh_site.hits == []


def test_unreachable_robots_means_disallowed(tmp_path, fresh_site):
    fresh_site.pages["/robots.txt"].status = 503
    fetcher = Fetcher(make_settings(tmp_path, fresh_site, retries=0))
    assert fetcher.get(fresh_site.url("/news/xi-putin-call")).state == "robots_disallowed"
    assert fetcher.robots.fetches == 1
    assert "503" in fetcher.get(fresh_site.url("/news/taiwan-next-door")).detail


def test_robots_redirect_is_followed_rfc9309(tmp_path, fresh_site):
    """An http -> elsewhere redirect of robots.txt is followed: its rules apply, its Sitemap lines are kept."""
    fresh_site.pages["/robots.txt"] = Page(status=301, headers={"Location": "/meta/robots-real.txt"})
    fresh_site.pages["/meta/robots-real.txt"] = Page(
        b"User-agent: *\nDisallow: /private/\nSitemap: /sitemap-news.xml\n", "text/plain")
    fetcher = Fetcher(make_settings(tmp_path, fresh_site))
    res = fetcher.get(fresh_site.url("/private/embargoed-briefing"))
    assert res.state == "robots_disallowed"
    assert fetcher.get(fresh_site.url("/news/xi-putin-call")).state == "ok"
    assert fetcher.robots.sitemaps(fresh_site.url("/")) == ["/sitemap-news.xml"]
    assert [h.path for h in fresh_site.hits][:2] == ["/robots.txt", "/meta/robots-real.txt"]


def test_robots_redirect_loop_is_taken_as_absent(tmp_path, fresh_site):
    fresh_site.pages["/robots.txt"] = Page(status=302, headers={"Location": "/robots.txt?again"})
    fetcher = Fetcher(make_settings(tmp_path, fresh_site))
    assert fetcher.get(fresh_site.url("/private/embargoed-briefing")).state == "ok"  # no rules
    assert [h.path.split("?")[0] for h in fresh_site.hits].count("/robots.txt") == 6  # 1 + 5 redirects


def test_robots_redirect_to_a_private_address_disallows_the_host(tmp_path, fresh_site):
    fresh_site.pages["/robots.txt"] = Page(status=301, headers={"Location": "http://169.254.169.254/robots.txt"})
    fetcher = Fetcher(make_settings(tmp_path, fresh_site))
    res = fetcher.get(fresh_site.url("/news/xi-putin-call"))
    assert res.state == "failed" and "robots.txt unreachable" in res.detail and "169.254.169.254" in res.detail


def _encoded_server(body: bytes, encoding: str):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/robots.txt":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    import threading

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_brotli_and_nested_encodings_are_decoded_and_capped_after_decompression(tmp_path, site):
    import gzip

    import brotli

    html = b"<html><body><p>" + "Xi Jinping \u2014 Vladimir Putin".encode() + b"</p></body></html>"
    cases = [(brotli.compress(html), "br", "ok"), (gzip.compress(brotli.compress(html)), "br, gzip", "ok"),
             (brotli.compress(b"a" * 20_000_000), "br", "failed")]
    for body, encoding, state in cases:
        server = _encoded_server(body, encoding)
        try:
            settings = make_settings(tmp_path, site)
            res = Fetcher(settings).get(f"http://127.0.0.1:{server.server_address[1]}/news/x")
        finally:
            server.shutdown()
            server.server_close()
        assert res.state == state, (encoding, res.detail)
        if state == "ok":
            assert res.body == html
        else:
            assert "too large: over 5000000 bytes decompressed" in res.detail and len(body) < 100_000


def test_a_tasks_host_clocks_are_written_once_when_it_closes_and_the_next_task_waits(tmp_path, fresh_site):
    """Fetchers of one run share each host's last answer through the run folder: written once per host when
    a fetcher closes (on an object store a write is a request), read by the next task's fetcher."""
    settings = make_settings(tmp_path, fresh_site, per_host_delay_s=0.5)
    run_dir = tmp_path / "run"
    first = Fetcher(settings, run_dir=run_dir)
    for path in ("/news/xi-putin-call", "/news/taiwan-next-door"):
        assert first.get(fresh_site.url(path)).state == "ok"
    clocks = run_dir / "hosts"
    assert not clocks.exists() or not list(clocks.iterdir())  # nothing written per request
    first.close()
    assert len(list(clocks.iterdir())) == 1  # one host, one clock
    second = Fetcher(settings, run_dir=run_dir)  # the next task of the run
    assert second.get(fresh_site.url("/news/allotment-show")).state == "ok"
    second.close()
    stamps = [h.at for h in fresh_site.hits]
    assert min(b - a for a, b in itertools.pairwise(stamps)) >= 0.45
