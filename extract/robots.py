"""robots.txt, fetched once per host per run and read with protego (Disallow and Crawl-delay)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests
from protego import Protego

from extract.errors import FetchFailed

if TYPE_CHECKING:
    from extract.client import Fetcher

ROBOTS_MAX_BYTES = 500_000
ALLOW_ALL = Protego.parse("")
DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /\n")


class RobotsCache:
    """Per-run cache of parsed robots.txt files, keyed by scheme://host[:port].

    RFC 9309: a 4xx answer means no rules; a 5xx answer means "assume everything disallowed"; a host
    that cannot be reached at all makes every URL on it fail with that reason."""

    def __init__(self, fetcher: Fetcher):
        self.fetcher = fetcher
        self._rules: dict[str, Protego] = {}
        self._why: dict[str, str] = {}
        self._unreachable: dict[str, str] = {}
        self.fetches = 0

    @staticmethod
    def _origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def _load(self, origin: str) -> Protego | None:
        if origin not in self._rules and origin not in self._unreachable:
            try:
                self._rules[origin] = self._fetch(origin)
            except (requests.RequestException, FetchFailed) as exc:
                self._unreachable[origin] = f"robots.txt unreachable: {type(exc).__name__}: {exc}"[:300]
        return self._rules.get(origin)

    def _fetch(self, origin: str) -> Protego:
        self.fetches += 1
        resp = self.fetcher.raw_get(f"{origin}/robots.txt")
        with resp:
            if 300 <= resp.status_code < 500:
                return ALLOW_ALL  # absent (a redirected robots.txt is treated as absent too)
            if resp.status_code >= 500:
                self._why[origin] = f"robots.txt answered {resp.status_code}: assuming all disallowed"
                return DISALLOW_ALL
            body = self.fetcher.read_body(resp, time.monotonic() + self.fetcher.s.deadline_s)
        return Protego.parse(body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace"))

    def check(self, url: str) -> None:
        """Raise FetchFailed (robots_disallowed, or failed if the host is unreachable) unless allowed."""
        rules = self._load(self._origin(url))
        if rules is None:
            raise FetchFailed("failed", self._unreachable[self._origin(url)])
        if not rules.can_fetch(url, self.fetcher.s.user_agent):
            why = self._why.get(self._origin(url), "robots.txt disallows it")
            raise FetchFailed("robots_disallowed", f"{why}: {url}")

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay for our user agent, if the origin's robots.txt sets one."""
        rules = self._rules.get(self._origin(url))
        delay = rules.crawl_delay(self.fetcher.s.user_agent) if rules is not None else None
        return float(delay) if delay is not None else None
