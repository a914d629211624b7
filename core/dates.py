"""The one date helper: any date newsmon reads (ISO 8601, its basic form as GDELT writes it, a free-form
date, a datetime) to an aware UTC datetime, and back to an ISO string. A time without zone means UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from dateutil import parser as dateparser


def as_written(value: object) -> datetime | None:
    """A date as the text states it: aware when it gives a zone, naive when it does not; None when
    `value` is empty or not a date."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())  # the common case, fast
    except ValueError:
        try:
            return dateparser.parse(value.strip())
        except (ValueError, OverflowError, TypeError):
            return None


def utc(value: object) -> datetime | None:
    """An aware UTC datetime, or None when `value` is empty or not a date."""
    stamp = as_written(value)
    if stamp is None:
        return None
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def naive_utc(value: object) -> datetime | None:
    """As utc(), without the zone: the warehouse stores UTC times as TIMESTAMP."""
    stamp = utc(value)
    return stamp.replace(tzinfo=None) if stamp else None


def iso(value: object) -> str | None:
    """A datetime as ISO 8601 text; a string is kept as it is; anything else is None."""
    return value.isoformat() if isinstance(value, datetime) else (value if isinstance(value, str) else None)
