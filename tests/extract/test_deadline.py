"""The response deadline holds whatever the server does: a body dripped one byte a second, or a stall."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from extract.client import Fetcher
from newsmon.pipeline import run_cycle
from tests.conftest import make_settings, read_rows


class DripServer:
    """Answers every path with a 100 kB Content-Length, then one byte per `gap_s` (or nothing at all)."""

    def __init__(self, gap_s: float = 1.0, pages: dict[str, bytes] | None = None, headers: bool = False):
        self.gap_s, self.pages, self.in_headers = gap_s, pages or {}, headers
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            request = conn.recv(65536).decode("latin-1")
            path = request.split(" ", 2)[1] if " " in request else "/"
            if path in self.pages:
                body = self.pages[path]
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                             b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
                return
            if path == "/robots.txt":
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if self.in_headers:  # a header line that never ends
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            else:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html>")
            while not self.stop.is_set():
                time.sleep(self.gap_s if self.gap_s else 0.2)
                try:
                    if self.gap_s:
                        conn.sendall(b"x")
                except OSError:
                    return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture
def drip():
    server = DripServer()
    yield server
    server.close()


@pytest.mark.parametrize(("gap_s", "headers"), [(1.0, False), (0.0, False), (1.0, True), (0.0, True)],
                         ids=["body-drip", "body-stall", "header-drip", "header-stall"])
def test_one_response_ends_at_its_deadline(tmp_path, site, gap_s, headers):
    server = DripServer(gap_s, headers=headers)
    try:
        settings = make_settings(tmp_path, site, deadline_s=2.0, read_timeout_s=60.0, retries=3)
        fetcher = Fetcher(settings)
        started = time.monotonic()
        res = fetcher.get(f"{server.base}/news/slow")
        took = time.monotonic() - started
    finally:
        server.close()
    assert res.state == "failed" and "deadline of 2s exceeded" in res.detail, res.detail
    assert took < 2.0 + 1.0  # retries included: none starts past the deadline


def test_a_run_over_drip_pages_finishes_in_bounded_time(tmp_path, site):
    """Every article page drips: the run ends within pages x deadline_s / hosts + 30 s, each page failed."""
    links = "".join(f'<p>Read <a href="/news/drip-{i}">story {i}</a> on the call.</p>' for i in range(4))
    seed = (f"<html><head><title>Seed</title></head><body><article><h1>Xi and Putin talk again</h1>"
            f"<p>Xi Jinping and Vladimir Putin spoke by phone on Wednesday about trade and security.</p>{links}"
            f"</article></body></html>").encode()
    server = DripServer(1.0, pages={"/news/seed": seed})
    try:
        settings = make_settings(tmp_path, site, seeds=[f"{server.base}/news/seed"], deadline_s=2.0,
                                 read_timeout_s=60.0, retries=0)
        started = time.monotonic()
        run_cycle(settings)
        took = time.monotonic() - started
    finally:
        server.close()
    assert took <= 4 * 2.0 / 1 + 30
    ledger = read_rows(settings.db, "select url, state, detail from urls where url like '%/drip-%'")
    assert len(ledger) == 4
    assert all(state == "failed" and "deadline of 2s exceeded" in detail for _, state, detail in ledger)
