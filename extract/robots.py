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
    """Per-run cache of parsed robots.txt files, keyed by scheme://host[:port]."""

    def __init__(self, fetcher: Fetcher):
        self.fetcher = fetcher
        self._rules: dict[str, Protego] = {}
        self.fetches = 0

    def _origin(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def rules(self, url: str) -> Protego:
        """The parsed robots.txt for the URL's origin, fetching it on first use."""
        origin = self._origin(url)
        if origin not in self._rules:
            self._rules[origin] = self._fetch(origin)
        return self._rules[origin]

    def _fetch(self, origin: str) -> Protego:
        # RFC 9309: 4xx means no rules; a server error or no answer means "assume disallowed".
        self.fetches += 1
        try:
            resp = self.fetcher.raw_get(f"{origin}/robots.txt")
            with resp:
                if resp.status_code in (301, 302, 303, 307, 308):
                    return ALLOW_ALL  # kept simple: a redirected robots.txt is treated as absent
                if 400 <= resp.status_code < 500:
                    return ALLOW_ALL
                if resp.status_code >= 500:
                    return DISALLOW_ALL
                body = self.fetcher.read_body(resp, time.monotonic() + self.fetcher.s.deadline_s)
        except (requests.RequestException, FetchFailed):  # unreachable, blocked, too large, too slow
            return DISALLOW_ALL
        return Protego.parse(body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace"))

    def allowed(self, url: str) -> bool:
        """True if robots.txt lets our user agent fetch `url`."""
        return self.rules(url).can_fetch(url, self.fetcher.s.user_agent)

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay for our user agent, if the origin's robots.txt sets one."""
        origin = self._origin(url)
        rules = self._rules.get(origin)
        if rules is None:
            return None
        delay = rules.crawl_delay(self.fetcher.s.user_agent)
        return float(delay) if delay is not None else None
