"""The crawl frontier's policy: which URLs a cycle fetches, in which order, and when a page is due again.

Pure functions over frontier rows (the warehouse's `urls` table, read by warehouse.frontier): no I/O.
Priority within a cycle (rank_candidates): seeds and feeds in the first round; then, each round, pages
whose feed item, sitemap title, search result or link text is about the seeds (hint_score against the
seeds' profile), the other pages (those waiting from earlier cycles first), sitemaps last; the last round
adds revisits that are due, then the least recently checked. The budget is `max_pages` per run and
`max_pages_per_host` per host; a URL it cuts stays `queued` and is a candidate again next cycle."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypedDict

from core import storage
from core.canonical import host_of

# A page's revisit interval grows with the time since newsmon first saw it: 1 h, 3 h, 9 h, 1 d, 3 d, then
# weekly, until revisit_days (the last step repeats).
DEFAULT_REVISIT_STEPS_S = (3600, 3 * 3600, 9 * 3600, 86400, 3 * 86400, 7 * 86400)
# States whose pages are revisited on the schedule; the others only as "least recently checked".
REVISITED = {"stored", "unchanged", "irrelevant", "duplicate", "not_article", "failed"}


def next_due(first_seen: datetime, checked: datetime, steps: tuple[float, ...] | list[float],
             revisit_days: float) -> datetime | None:
    """When a page checked at `checked` is due again, by its age since first seen; None past revisit_days."""
    age = (checked - first_seen).total_seconds()
    if age > revisit_days * 86400 or not steps:
        return None
    elapsed = 0.0
    for step in steps:
        if age < elapsed + step:
            return checked + timedelta(seconds=step)
        elapsed += step
    return checked + timedelta(seconds=steps[-1])


class SeedProfile(TypedDict, total=False):
    """What the seeds are about, for the search sources' queries (extract.search.build_query): their
    entities [name, type, salience] most salient first, keywords most frequent first, and titles. Empty
    before the seeds are parsed. (The relevance score's profile, transform.relevance.Profile, is the same
    seeds' entities and terms as sets, built from their texts when a run relates its records.)"""

    entities: list[list[Any]]
    keywords: list[str]
    titles: list[str]


@dataclass
class Frontier:
    """What a cycle plans from (read by warehouse.frontier): frontier rows by tier (0 seeds, 1 feeds,
    2 never fetched, 3 due, 4 least recently checked) and every URL the frontier knows."""

    rows: list[dict] = field(default_factory=list)
    known: set[str] = field(default_factory=set)
    profile: SeedProfile = field(default_factory=lambda: SeedProfile())  # the stored seeds' (search queries)

    def tier(self, n: int) -> list[dict]:
        return [r for r in self.rows if r["tier"] == n]


@dataclass
class Budget:
    """Pages one run may still fetch, in all and per host, and what they were spent on (`spent`, by the
    kind of each taken URL: see SPENT). Saved in the run's staging folder between rounds."""

    total: int
    per_host: int
    used: int = 0
    by_host: dict[str, int] = field(default_factory=dict)
    spent: dict[str, int] = field(default_factory=dict)

    def take(self, url: str, kind: str = "page") -> bool:
        """Spend one page on `url` if both budgets allow; False leaves it for a later cycle."""
        host = host_of(url)
        if self.used >= self.total or self.by_host.get(host, 0) >= self.per_host:
            return False
        self.used += 1
        self.by_host[host] = self.by_host.get(host, 0) + 1
        self.spent[kind] = self.spent.get(kind, 0) + 1
        return True

    def save(self, path: storage.Location) -> None:
        storage.write_text(storage.at(path), json.dumps({"total": self.total, "per_host": self.per_host,
                                                         "used": self.used, "by_host": self.by_host,
                                                         "spent": self.spent}))

    @classmethod
    def load(cls, path: storage.Location) -> Budget:
        return cls(**json.loads(storage.read_text(storage.at(path))))


# What a cycle's pages are spent on, in the order `newsmon run` reports them (Budget.spent's keys).
SPENT = ("seed", "feed", "likely related", "new", "waiting", "sitemap", "revisit")
WORD = re.compile(r"[^\W\d_][\w'’-]*")
KEYWORD_WEIGHT = 0.1  # a seed keyword in a hint counts a tenth of a salient entity


def _words(text: str) -> list[str]:
    return [w.casefold().strip("'’-") for w in WORD.findall(text)]


def hint_score(profile: SeedProfile, hint: str | None) -> float:
    """How much what is known about an unfetched URL before fetching it (`hint`: its feed item's title and
    summary, its sitemap news title, its search result's title, its link's text) is about the seeds: the
    summed salience of the seeds' entities it names (a name in full, or a person's last name, or a
    place's or group's name as a word), plus KEYWORD_WEIGHT per seed keyword it contains. 0 when the
    profile or the hint is empty: nothing is known, nothing is ranked."""
    if not hint or not profile:
        return 0.0
    words = _words(hint)
    text, vocabulary = " " + " ".join(words) + " ", set(words)
    score = 0.0
    for name, label, salience in profile.get("entities", []):
        parts = _words(str(name))
        if not parts:
            continue
        named = f" {' '.join(parts)} " in text or (label == "PERSON" and len(parts) > 1 and parts[-1] in vocabulary)
        score += float(salience or 0) if named else 0.0
    keywords = {k.casefold() for k in profile.get("keywords", [])}
    return round(score + KEYWORD_WEIGHT * len(keywords & vocabulary), 4)


def rank_candidates(candidates: list[Any], profile: SeedProfile) -> list[Any]:
    """A fetch round's candidates in the order the budget takes them: feeds first (their items come next
    round); then pages whose hint is about the seeds (`likely related`, highest hint_score first); then the
    other pages, those waiting from earlier cycles before this cycle's finds; then sitemaps, which are
    read only when the budget allows. Ties keep discovery order. Each candidate gets its `kind` (SPENT)."""
    scores = [hint_score(profile, c.get("hint")) for c in candidates]
    for c, score in zip(candidates, scores, strict=True):
        if c.get("is_feed"):
            c["kind"] = "sitemap" if c.get("relation") == "sitemap" else "feed"
        elif c.get("kind") not in ("waiting", "revisit"):
            c["kind"] = "likely related" if score > 0 else "new"
    group = {"feed": 0, "likely related": 1, "sitemap": 3}  # any other kind: 2

    def key(i: int) -> tuple[int, float, int, int]:
        kind = candidates[i]["kind"]
        return group.get(kind, 2), -scores[i] if kind == "likely related" else 0.0, 0 if kind == "waiting" else 1, i

    return [candidates[i] for i in sorted(range(len(candidates)), key=key)]


def order_unfetched(rows: list[dict]) -> list[dict]:
    """Never-fetched frontier rows, newest discovery first (ties by URL, for a stable order)."""
    return sorted(rows, key=lambda r: (-(r["first_seen_at"].timestamp() if r.get("first_seen_at") else 0), r["url"]))


def order_revisits(due: list[dict], stale: list[dict]) -> list[dict]:
    """Due revisits (earliest due first), then the least recently checked; each URL once."""
    seen: set[str] = set()
    out = []
    for row in sorted(due, key=lambda r: (r["next_due_at"], r["url"])) + \
            sorted(stale, key=lambda r: (r["last_checked_at"] or datetime.min, r["url"])):
        if row["url"] not in seen:
            seen.add(row["url"])
            out.append(row)
    return out
