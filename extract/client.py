"""The one HTTP client: polite, bounded and safe (robots.txt, per-host delay, size and time caps)."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from upath import UPath
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

from core.canonical import canonical_url, host_of
from extract.errors import FetchFailed
from extract.netguard import AddressPolicy
from extract.robots import RobotsCache

if TYPE_CHECKING:
    from core.config import Settings

Validators = Callable[[str], Mapping[str, Any]]


class PinnedAdapter(HTTPAdapter):
    """Connects each host to the address the address policy checked for it (DNS rebinding defence).

    The connection keeps the host name for the Host header, TLS SNI and certificate checks; only the
    socket goes to the pinned address. A host with no checked address cannot be connected to."""

    def __init__(self, pins: dict[tuple[str, int], str], **kw: Any):
        self.pins, self.tracker = pins, threading.local()
        super().__init__(**kw)

    def init_poolmanager(self, *args: Any, **kw: Any) -> None:
        super().init_poolmanager(*args, **kw)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _pinned_pool(HTTPConnectionPool, self.pins, self.tracker),
            "https": _pinned_pool(HTTPSConnectionPool, self.pins, self.tracker)}


class DeadlineExceeded(Exception):
    """Raised (deliberately not an OSError, so urllib3 does not retry it) when a request starts past its deadline."""


def _pinned_pool(base: type[HTTPConnectionPool], pins: dict[tuple[str, int], str],
                 tracker: threading.local) -> type[HTTPConnectionPool]:
    class PinnedConnection(base.ConnectionCls):  # type: ignore[name-defined]  # a class chosen at run time
        def __init__(self, host: str, port: int | None = None, *args: object, **kw: object):
            super().__init__(host, port, *args, **kw)
            # ".invalid" never resolves (RFC 6761): without a checked address the connection fails
            self._dns_host = pins.get((host.strip("[]").lower(), self.port), "unchecked-address.invalid")

        def request(self, *args: object, **kw: object) -> None:
            box = getattr(tracker, "box", None)  # the calling request's deadline watchdog
            if box is not None:
                if time.monotonic() >= box["deadline"]:
                    raise DeadlineExceeded()
                box["conn"] = self
            super().request(*args, **kw)

    return type(f"Pinned{base.__name__}", (base,), {"ConnectionCls": PinnedConnection})


class BoundedRetry(Retry):
    """urllib3 Retry whose honoured Retry-After is capped, so one server cannot stall a run."""

    max_retry_after: float = 30.0

    def get_retry_after(self, response: Any) -> float | None:
        value = super().get_retry_after(response)
        return None if value is None else min(value, self.max_retry_after)

    def new(self, **kw: Any) -> BoundedRetry:
        retry = super().new(**kw)
        retry.max_retry_after = self.max_retry_after
        return retry


@dataclass
class FetchResult:
    """What one GET (with its redirects) produced; `state` is ok, not_modified or a ledger state."""

    url: str
    final_url: str
    state: str
    detail: str = ""
    status: int | None = None
    content_type: str = ""
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    redirects: list[str] = field(default_factory=list)


class Fetcher:
    """GETs URLs one at a time per host, honouring robots.txt, delays and caps from Settings."""

    def __init__(self, settings: Settings, policy: AddressPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep, run_dir: UPath | None = None):
        self.s = settings
        self.policy = policy or AddressPolicy(settings.allow_private_networks)
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers.update({
            "User-Agent": settings.full_user_agent,
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                      "application/xml;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "gzip, deflate, br",
        })
        retry = BoundedRetry(
            total=settings.retries, connect=settings.retries, read=settings.retries,
            status=settings.retries, backoff_factor=settings.backoff_s, backoff_max=30,
            status_forcelist=(429, 500, 502, 503, 504), allowed_methods=("GET",),
            respect_retry_after_header=True, raise_on_status=False, redirect=False,
        )
        retry.max_retry_after = settings.max_retry_after_s
        self._pins: dict[tuple[str, int], str] = {}
        adapter = self._adapter = PinnedAdapter(self._pins, max_retries=retry, pool_maxsize=4)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        # With a run folder, robots.txt answers and each host's last request time are shared by all
        # tasks of the run, so politeness holds across task boundaries too: a task writes its hosts' clocks
        # when it closes its fetcher (a task killed before that is retried after task_retry_delay_s,
        # longer than a host's delay).
        self.run_dir = run_dir
        self.robots = RobotsCache(self, run_dir / "robots" if run_dir else None)
        self._last_request: dict[str, float] = {}
        self._answered: dict[str, float] = {}  # host -> wall time of its last answer, not yet in its clock file
        self._lock = threading.Lock()

    def close(self) -> None:
        """Write the host clocks of this fetcher's requests (once per host, not per request: on an object
        store each write is a request), then close the connections."""
        self.flush_clocks()
        self.session.close()

    def flush_clocks(self) -> None:
        from core import storage

        with self._lock:
            answered, self._answered = self._answered, {}
        for host, wall in answered.items():
            if clock := self._host_clock(host):
                storage.write_text(clock, repr(wall))

    def _host_clock(self, host: str) -> UPath | None:
        return self.run_dir / "hosts" / re.sub(r"[^A-Za-z0-9_.-]", "_", host) if self.run_dir else None

    def _last(self, host: str) -> float | None:
        """Monotonic time of the last request to host, by this process or an earlier task of the run."""
        if host not in self._last_request and (clock := self._host_clock(host)):
            from core import storage

            if (text := storage.read_text_if_any(clock)) is not None:  # one request, no exists() first
                self._last_request[host] = time.monotonic() - max(0.0, time.time() - float(text))
        return self._last_request.get(host)

    def _wait_turn(self, url: str) -> None:
        host = host_of(url)
        delay = max(self.s.per_host_delay_s, self.robots.crawl_delay(url) or 0.0)
        with self._lock:
            last = self._last(host)
            now = time.monotonic()
            if last is not None and now - last < delay:
                self.sleep(delay - (now - last))
            self._last_request[host] = time.monotonic()

    def _done(self, url: str) -> None:
        """The delay counts from the moment the previous answer arrived, not from when the request left:
        the request reached the host before its answer came back, so the host sees at least `delay`
        between two requests however long the network took (measured from departure, a slow first
        request and a fast second one arrive closer than the delay)."""
        host = host_of(url)
        with self._lock:
            self._last_request[host] = time.monotonic()
            if self.run_dir:
                self._answered[host] = time.time()  # written to the host's clock by close()

    def raw_get(self, url: str, headers: dict[str, str] | None = None,
                deadline: float | None = None) -> requests.Response:
        """One GET, no redirects followed, address checked and host delay kept; body not yet read.
        The connection goes to the address that was checked (no second DNS answer can redirect it), and
        a watchdog ends it at `deadline` however slowly the server sends its headers."""
        parts = urlsplit(url)
        addrs = self.policy.check_url(url)
        self._pins[(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))] = addrs[0]
        self._wait_turn(url)
        deadline = deadline if deadline is not None else time.monotonic() + self.s.deadline_s
        box: dict = {"deadline": deadline}
        self._adapter.tracker.box = box
        fired = threading.Event()
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _shut_connection, [box, fired])
        watchdog.daemon = True
        watchdog.start()
        late = FetchFailed("failed", f"deadline of {self.s.deadline_s:g}s exceeded before the response headers")
        try:
            return self.session.get(url, headers=headers or {}, stream=True, allow_redirects=False,
                                    timeout=(self.s.connect_timeout_s, self.s.read_timeout_s))
        except DeadlineExceeded:
            raise late from None
        except requests.RequestException:
            if fired.is_set():
                raise late from None
            raise
        finally:
            watchdog.cancel()
            self._adapter.tracker.box = None
            self._done(url)

    def read_body(self, resp: requests.Response, deadline: float) -> bytes:
        """Read a streamed body, decompressed, within the size cap and the deadline, whatever the server
        does: reads return as soon as any bytes arrive (a drip cannot hold a read open), and a watchdog
        shuts the socket at the deadline (a stall cannot outlast it)."""
        length = resp.headers.get("Content-Length", "")
        encoded = resp.headers.get("Content-Encoding", "identity") != "identity"
        if length.isdigit() and not encoded and int(length) > self.s.max_bytes:
            raise FetchFailed("failed", f"too large: Content-Length {length} > {self.s.max_bytes} bytes")
        late = FetchFailed("failed", f"deadline of {self.s.deadline_s:g}s exceeded while reading the body")
        fired = threading.Event()
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _shut, [resp.raw, fired])
        watchdog.daemon = True
        watchdog.start()
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                try:
                    chunk = resp.raw.read1(64 * 1024, decode_content=True)
                except (urllib3.exceptions.HTTPError, OSError) as exc:
                    if fired.is_set() or time.monotonic() >= deadline:
                        raise late from None
                    raise FetchFailed("failed", f"body read failed: {type(exc).__name__}: {exc}"[:300]) from None
                if fired.is_set() or time.monotonic() > deadline:
                    raise late
                if not chunk:
                    return b"".join(chunks)
                size += len(chunk)
                if size > self.s.max_bytes:
                    raise FetchFailed("failed", f"too large: over {self.s.max_bytes} bytes decompressed")
                chunks.append(chunk)
        finally:
            watchdog.cancel()

    def get(self, url: str, validators: Validators | None = None) -> FetchResult:
        """GET `url` following redirects safely; failures come back as a FetchResult with a ledger state.

        `validators(u)` gives the stored ETag / Last-Modified for each hop's URL, for conditional GET."""
        try:
            return self._get(url, validators or (lambda _u: {}))
        except FetchFailed as exc:  # includes BlockedAddress
            return FetchResult(url=url, final_url=url, state=exc.state, detail=exc.detail)
        except requests.RequestException as exc:
            return FetchResult(url=url, final_url=url, state="failed", detail=_describe(exc))

    def _get(self, url: str, validators: Validators) -> FetchResult:
        deadline = time.monotonic() + self.s.deadline_s
        current, hops = url, list[str]()
        while True:
            self.policy.check_url(current)
            self.robots.check(current)
            known = validators(current)
            headers = {}
            if known.get("etag"):
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                headers["If-Modified-Since"] = known["last_modified"]
            resp = self.raw_get(current, headers, deadline)
            with resp:
                if resp.status_code in (301, 302, 303, 307, 308):
                    current = self._next_hop(current, resp, hops)
                    continue
                return self._result(url, current, resp, hops, deadline)

    def _next_hop(self, current: str, resp: requests.Response, hops: list[str]) -> str:
        location = resp.headers.get("Location")
        nxt = canonical_url(urljoin(current, location)) if location else None
        if not nxt:
            raise FetchFailed("failed", f"redirect {resp.status_code} without a usable Location")
        hops.append(current)
        if nxt in hops or nxt == current:
            raise FetchFailed("failed", f"redirect loop at {nxt}")
        if len(hops) > self.s.max_redirects:
            raise FetchFailed("failed", f"too many redirects (> {self.s.max_redirects})")
        return nxt

    def _result(self, url: str, final: str, resp: requests.Response, hops: list[str],
                deadline: float) -> FetchResult:
        common: dict[str, Any] = dict(url=url, final_url=final, status=resp.status_code, redirects=hops,
                      content_type=resp.headers.get("Content-Type", ""),
                      etag=resp.headers.get("ETag"), last_modified=resp.headers.get("Last-Modified"))
        if resp.status_code == 304:
            return FetchResult(state="not_modified", detail="304 Not Modified", **common)
        if resp.status_code >= 400:
            return FetchResult(state="failed", detail=f"HTTP {resp.status_code} {resp.reason}", **common)
        body = self.read_body(resp, deadline)
        return FetchResult(state="ok", body=body, **common)


def _shut_connection(box: dict, fired: threading.Event) -> None:
    """The deadline watchdog before the headers: shut the socket of the request's connection."""
    fired.set()
    conn = box.get("conn")
    if conn is not None and getattr(conn, "sock", None) is not None:
        with contextlib.suppress(OSError):
            conn.sock.shutdown(socket.SHUT_RDWR)


def _shut(raw: urllib3.HTTPResponse, fired: threading.Event) -> None:
    """The deadline watchdog: unblock a read in progress by shutting the socket's reading side."""
    fired.set()
    with contextlib.suppress(ValueError, RuntimeError, OSError):
        raw.shutdown()


def _describe(exc: requests.RequestException) -> str:
    name = type(exc).__name__
    reason = str(exc).split(" (Caused by ")[0]
    return f"{name}: {reason}"[:300]
