"""The article record the parser returns, the stored article the batch writer and its Arrow schema share,
and the article as duplicate and story detection see it (Doc). No heavy imports: warehouse/ reads these
(warehouse.batch builds the `articles` schema from StoredArticle's fields; warehouse.grouping reads Docs)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime


@dataclass
class Article:
    """One news article: identity, metadata (UTC times with their source) and main text."""

    url: str
    canonical_url: str
    title: str
    text: str
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None  # the instant, UTC
    published_source: str | None = None
    published_day: date | None = None  # the day the publisher states (in the stamp's own offset)
    published_offset_min: int | None = None  # that offset in minutes east of UTC, when the page gives one
    modified_at: datetime | None = None
    modified_source: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None  # used to drop a standfirst that repeats it; not stored


@dataclass
class StoredArticle(Article):
    """An article as the warehouse's `articles` table holds it: the parsed article plus its id, when it
    was fetched and why it is related. Its columns are the Arrow schema of the staging batch."""

    article_id: str = ""
    fetched_at: datetime | None = None
    word_count: int = 0
    relation: str = "linked"
    hops: int | None = None
    relevance: float | None = None
    related_via: str | None = None
    raw_sha256: str = ""

    NOT_STORED = ("description",)

    @classmethod
    def columns(cls) -> list[tuple[str, str]]:
        """(name, annotation) of every stored column, in table order."""
        return [(f.name, str(f.type)) for f in fields(cls) if f.name not in cls.NOT_STORED]

    def row(self) -> dict:
        """The batch row: every stored column, nothing else."""
        values = asdict(self)
        return {name: values[name] for name, _ in self.columns()}


@dataclass
class Doc:
    """An article as duplicate and story detection see it."""

    article_id: str
    at: datetime  # published, else fetched (UTC, naive)
    minhash: bytes | None = None
    keywords: frozenset[str] = frozenset()
    entities: tuple[str, ...] = ()  # canonical names, most salient first
    duplicate_of: str | None = None
    story_id: str | None = None
    site: str = ""

    def order(self) -> tuple[datetime, str]:
        return self.at, self.article_id
