"""robots.txt, fetched once per host per run and read with protego (Disallow and Crawl-delay)."""

from __future__ import annotations

import json
import re
import time
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego
from upath import UPath

from extract.errors import FetchFailed

if TYPE_CHECKING:
    from core.config import Settings


class Requester(Protocol):
    """What robots.txt fetching needs of the HTTP client (extract.client.Fetcher provides it)."""

    s: Settings

    def raw_get(self, url: str, headers: dict[str, str] | None = None) -> requests.Response: ...

    def read_body(self, resp: requests.Response, deadline: float) -> bytes: ...

ROBOTS_MAX_BYTES = 500_000
MAX_REDIRECTS = 5
DISALLOW_ALL = "User-agent: *\nDisallow: /\n"


def _answer(rules: str, why: str | None = None, unreachable: str | None = None) -> dict:
    """A robots.txt outcome as cached for the cycle: its rules, and its Sitemap lines for discovery."""
    return {"rules": rules, "why": why, "unreachable": unreachable, "sitemaps": list(Protego.parse(rules).sitemaps)}


class RobotsCache:
    """Per-run cache of parsed robots.txt files, keyed by scheme://host[:port].

    RFC 9309: a 4xx answer means no rules; a 5xx answer means "assume everything disallowed"; a host
    that cannot be reached at all makes every URL on it fail with that reason. With a `cache_dir`
    (the run's staging folder) the answer is shared by every task of the run: fetched once per run."""

    def __init__(self, fetcher: Requester, cache_dir: UPath | None = None):
        self.fetcher = fetcher
        self.cache_dir = cache_dir
        self._answers: dict[str, dict] = {}
        self._rules: dict[str, Protego] = {}
        self.fetches = 0

    @staticmethod
    def _origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def _cache_file(self, origin: str) -> UPath | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / (re.sub(r"[^A-Za-z0-9_.-]", "_", origin) + ".json")

    def _answer(self, origin: str) -> dict:
        if origin in self._answers:
            return self._answers[origin]
        cached = self._cache_file(origin)
        from core import storage

        text = storage.read_text_if_any(cached) if cached is not None else None
        if text is not None:
            answer = json.loads(text)
        else:
            answer = self._fetch(origin)
            if cached is not None:
                storage.write_text(cached, json.dumps(answer))
        self._answers[origin] = answer
        self._rules[origin] = Protego.parse(answer["rules"])
        return answer

    def _fetch(self, origin: str) -> dict:
        """RFC 9309: up to MAX_REDIRECTS redirects followed (each hop through the address policy); 4xx or
        too many redirects: no rules; 5xx or unreachable: everything disallowed for this cycle."""
        self.fetches += 1
        url = f"{origin}/robots.txt"
        try:
            for _ in range(MAX_REDIRECTS + 1):
                resp = self.fetcher.raw_get(url)
                with resp:
                    location = resp.headers.get("Location")
                    if resp.status_code in (301, 302, 303, 307, 308) and location:
                        url = urljoin(url, location)
                        continue
                    if 400 <= resp.status_code < 500 or 300 <= resp.status_code < 400:
                        return _answer("")
                    if resp.status_code >= 500:
                        return _answer(DISALLOW_ALL, why=f"robots.txt answered {resp.status_code}: "
                                                         "assuming all disallowed this cycle")
                    body = self.fetcher.read_body(resp, time.monotonic() + self.fetcher.s.deadline_s)
                    return _answer(body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace"))
        except (requests.RequestException, FetchFailed) as exc:
            detail = exc.detail if isinstance(exc, FetchFailed) else f"{type(exc).__name__}: {exc}"
            return _answer(DISALLOW_ALL, unreachable=f"robots.txt unreachable: {detail}"[:300])
        return _answer("", why=f"robots.txt redirected more than {MAX_REDIRECTS} times: taken as absent")

    def sitemaps(self, url: str) -> list[str]:
        """The `Sitemap:` URLs of the robots.txt of `url`'s origin (fetched if not yet this cycle)."""
        return list(self._answer(self._origin(url)).get("sitemaps", []))

    def check(self, url: str) -> None:
        """Raise FetchFailed (robots_disallowed, or failed if the host is unreachable) unless allowed."""
        origin = self._origin(url)
        answer = self._answer(origin)
        if answer["unreachable"]:
            raise FetchFailed("failed", answer["unreachable"])
        if not self._rules[origin].can_fetch(url, self.fetcher.s.user_agent):
            raise FetchFailed("robots_disallowed", f"{answer['why'] or 'robots.txt disallows it'}: {url}")

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay for our user agent, if the origin's robots.txt sets one."""
        rules = self._rules.get(self._origin(url))
        delay = rules.crawl_delay(self.fetcher.s.user_agent) if rules is not None else None
        return float(delay) if delay is not None else None
