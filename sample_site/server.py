"""A small threaded HTTP server for the sample site, with ETag/Last-Modified, gzip and a request log."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sample_site.site import Page, build_site


@dataclass(frozen=True)
class Hit:
    """One request the server received, for tests of politeness and conditional GET."""

    at: float
    path: str
    user_agent: str
    if_none_match: str | None
    if_modified_since: str | None
    status: int


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site = self.server.site
        path, _, query = self.path.partition("?")
        page = site.page(path, query)
        status = self._status(page)
        if page.fail_first and site.count(path) <= page.fail_first:
            page, status = Page(b"busy", status=503, headers={"Retry-After": "1"}), 503
        site.record(Hit(time.monotonic(), self.path, self.headers.get("User-Agent", ""),
                        self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), status))
        body = b"" if status == 304 else page.body
        self.send_response(status)
        for key, value in page.headers.items():
            self.send_header(key, value)
        if status in (200, 304):
            self.send_header("ETag", page.etag)
            if page.last_modified:
                self.send_header("Last-Modified", format_datetime(page.last_modified, usegmt=False))
        if status != 304:
            self.send_header("Content-Type", page.content_type)
        if body and "gzip" in self.headers.get("Accept-Encoding", "") and len(body) > 1024:
            body = gzip.compress(body, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if page.slow_s:
            step = max(1, len(body) // 10)
            for i in range(0, len(body), step):
                self.wfile.write(body[i:i + step])
                self.wfile.flush()
                time.sleep(page.slow_s / 10)
        else:
            self.wfile.write(body)

    def _status(self, page: Page) -> int:
        if page.status != 200:
            return page.status
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return 304 if page.etag in [t.strip() for t in inm.split(",")] else 200
        ims = self.headers.get("If-Modified-Since")
        if ims and page.last_modified:
            try:
                if page.last_modified.replace(microsecond=0) <= parsedate_to_datetime(ims):
                    return 304
            except (TypeError, ValueError):
                pass
        return 200


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: SampleSite

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (a crawler that gave up on a slow page, a run that was stopped) is not
        the site's error: say nothing. Anything else is printed as usual."""
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class SampleSite:
    """Serve the sample site on host:port in a background thread; use as a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, edition: int = 0):
        self.httpd = _Server((host, port), _Handler)
        self.httpd.site = self
        address = self.httpd.server_address
        self.host, self.port = str(address[0]), int(address[1])
        self.base_url = f"http://{self.host}:{self.port}"
        self.edition = edition
        self.builder: Callable[[str, int], dict[str, Page]] = build_site
        self.pages = build_site(self.base_url, edition)
        # paths answered by a function of the query string (sample_site.network's search endpoints)
        self.dynamic: dict[str, Callable[[str], Page]] = {}
        self.hits: list[Hit] = []
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="sample-site", daemon=True)

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def count(self, path: str) -> int:
        """Requests so far for `path` (any query), the current one included."""
        with self._lock:
            self._counts[path] = self._counts.get(path, 0) + 1
            return self._counts[path]

    def page(self, path: str, query: str = "") -> Page:
        """The response for a path and query string."""
        if path in self.dynamic:
            return self.dynamic[path](query)
        return self.pages.get(path) or Page(b"<h1>Not found</h1>", status=404)

    def url(self, path: str) -> str:
        return self.base_url + path

    def advance(self) -> int:
        """Publish the next edition of the living site (new articles, an update, a removal); return it."""
        self.edition += 1
        self.pages = self.builder(self.base_url, self.edition)
        return self.edition

    def start(self) -> SampleSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
