"""Alerts after each warehouse update: an entity crossing the rising threshold, a new related article.

Each alert is raised once (the `alerts` table remembers it), logged, and posted as JSON to
`alert_webhook_url` when the config has one."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING

from core.config import Settings

if TYPE_CHECKING:
    import requests

log = logging.getLogger("newsmon.alerts")
NEW_ALERTS_SQL = resources.files("warehouse") / "sql" / "new_alerts.sql"


@dataclass(frozen=True)
class Alert:
    alert_id: str
    kind: str
    message: str
    payload: dict


def _session(user_agent: str) -> requests.Session:
    """A requests session that retries a failed post with backoff (connection errors, 429, 5xx)."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    session = requests.Session()
    session.headers["User-Agent"] = user_agent
    retry = Retry(total=3, backoff_factor=0.25, status_forcelist=(429, 500, 502, 503, 504),
                  allowed_methods=("POST",), raise_on_status=False)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def _post(session: requests.Session, url: str, alert: Alert) -> str:
    import requests

    try:
        resp = session.post(url, json={"alert_id": alert.alert_id, "message": alert.message, **alert.payload},
                            timeout=(5, 15))
        resp.raise_for_status()
    except requests.RequestException as exc:
        log.warning("alert %s not delivered to the webhook: %s", alert.alert_id, exc)
        return f"failed: {type(exc).__name__}"[:200]
    return "posted"


def raise_alerts(settings: Settings) -> list[Alert]:
    """Find the alerts not raised yet, deliver at most `max_alerts_per_run` of them (outside the writer's
    lock, retried with backoff), remember all of them, and publish; return the delivered ones."""
    from warehouse.db import connect, publish, writer

    params = {"recent_days": settings.rising_recent_days, "baseline_days": settings.rising_baseline_days,
              "min_articles": settings.rising_min_articles, "z": settings.rising_z}
    con = connect(settings.db, read_only=True)
    try:
        rows = con.execute(NEW_ALERTS_SQL.read_text(encoding="utf-8"), params).fetchall()
    finally:
        con.close()
    alerts = [Alert(r[0], r[1], r[4], json.loads(r[5])) for r in rows]
    session = _session(settings.full_user_agent)
    now = datetime.now(UTC).replace(tzinfo=None)
    records = []
    down = None  # after one alert fails every retry, the rest of this run are not posted
    for n, (alert, row) in enumerate(zip(alerts, rows, strict=True)):
        if n >= settings.max_alerts_per_run:
            delivery = f"suppressed: over max_alerts_per_run ({settings.max_alerts_per_run})"
        else:
            log.warning("newsmon alert: %s", alert.message)
            if not settings.alert_webhook_url:
                delivery = "logged"
            elif down:
                delivery = f"{down} (an earlier alert of this run)"
            else:
                delivery = _post(session, settings.alert_webhook_url, alert)
                down = delivery if delivery.startswith("failed") else None
        records.append((alert.alert_id, alert.kind, row[2], row[3], alert.message, json.dumps(alert.payload), now,
                        delivery))
    if len(alerts) > settings.max_alerts_per_run:
        log.warning("newsmon: %d more alerts recorded without delivery (max_alerts_per_run %d)",
                    len(alerts) - settings.max_alerts_per_run, settings.max_alerts_per_run)
    if records:
        with writer(settings.db) as wcon:
            wcon.executemany("insert into alerts values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing", records)
        publish(settings.db, mode=settings.snapshot_mode)
    return alerts[:settings.max_alerts_per_run]
