"""robots.txt, fetched once per host per run and read with protego (Disallow and Crawl-delay)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

import requests
from protego import Protego

from extract.errors import FetchFailed

if TYPE_CHECKING:
    from newsmon.config import Settings


class Requester(Protocol):
    """What robots.txt fetching needs of the HTTP client (extract.client.Fetcher provides it)."""

    s: Settings

    def raw_get(self, url: str, headers: dict[str, str] | None = None) -> requests.Response: ...

    def read_body(self, resp: requests.Response, deadline: float) -> bytes: ...

ROBOTS_MAX_BYTES = 500_000
DISALLOW_ALL = "User-agent: *\nDisallow: /\n"


class RobotsCache:
    """Per-run cache of parsed robots.txt files, keyed by scheme://host[:port].

    RFC 9309: a 4xx answer means no rules; a 5xx answer means "assume everything disallowed"; a host
    that cannot be reached at all makes every URL on it fail with that reason. With a `cache_dir`
    (the run's staging folder) the answer is shared by every task of the run: fetched once per run."""

    def __init__(self, fetcher: Requester, cache_dir: Path | None = None):
        self.fetcher = fetcher
        self.cache_dir = cache_dir
        self._answers: dict[str, dict] = {}
        self._rules: dict[str, Protego] = {}
        self.fetches = 0

    @staticmethod
    def _origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def _cache_file(self, origin: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / (re.sub(r"[^A-Za-z0-9_.-]", "_", origin) + ".json")

    def _answer(self, origin: str) -> dict:
        if origin in self._answers:
            return self._answers[origin]
        cached = self._cache_file(origin)
        if cached is not None and cached.exists():
            answer = json.loads(cached.read_text(encoding="utf-8"))
        else:
            answer = self._fetch(origin)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_text(json.dumps(answer), encoding="utf-8")
        self._answers[origin] = answer
        self._rules[origin] = Protego.parse(answer["rules"])
        return answer

    def _fetch(self, origin: str) -> dict:
        self.fetches += 1
        try:
            resp = self.fetcher.raw_get(f"{origin}/robots.txt")
            with resp:
                if 300 <= resp.status_code < 500:  # absent (a redirected robots.txt counts as absent too)
                    return {"rules": "", "why": None, "unreachable": None}
                if resp.status_code >= 500:
                    return {"rules": DISALLOW_ALL, "unreachable": None,
                            "why": f"robots.txt answered {resp.status_code}: assuming all disallowed"}
                body = self.fetcher.read_body(resp, time.monotonic() + self.fetcher.s.deadline_s)
        except (requests.RequestException, FetchFailed) as exc:
            return {"rules": DISALLOW_ALL, "why": None,
                    "unreachable": f"robots.txt unreachable: {type(exc).__name__}: {exc}"[:300]}
        text = body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        return {"rules": text, "why": None, "unreachable": None}

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
