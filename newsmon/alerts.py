"""Alerts after each warehouse update: an entity crossing the rising threshold, a new related article.

Each alert is raised once (the `alerts` table remembers it), logged, and posted as JSON to
`alert_webhook_url` when the config has one."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from newsmon.config import Settings

log = logging.getLogger("newsmon.alerts")
NEW_ALERTS_SQL = resources.files("warehouse") / "sql" / "new_alerts.sql"


@dataclass(frozen=True)
class Alert:
    alert_id: str
    kind: str
    message: str
    payload: dict


def _post(url: str, alert: Alert, user_agent: str) -> str:
    import requests

    try:
        resp = requests.post(url, json={"alert_id": alert.alert_id, "message": alert.message, **alert.payload},
                             headers={"User-Agent": user_agent}, timeout=(5, 15))
        resp.raise_for_status()
    except requests.RequestException as exc:
        log.warning("alert %s not delivered to the webhook: %s", alert.alert_id, exc)
        return f"failed: {type(exc).__name__}"[:200]
    return "posted"


def raise_alerts(settings: Settings) -> list[Alert]:
    """Find the alerts not raised yet, log and deliver them, and remember them; return them."""
    from warehouse.db import writer

    params = {"recent_days": settings.rising_recent_days, "baseline_days": settings.rising_baseline_days,
              "min_articles": settings.rising_min_articles, "z": settings.rising_z}
    with writer(settings.db) as con:
        rows = con.execute(NEW_ALERTS_SQL.read_text(encoding="utf-8"), params).fetchall()
        alerts = [Alert(r[0], r[1], r[4], json.loads(r[5])) for r in rows]
        now = datetime.now(UTC).replace(tzinfo=None)
        records = []
        for alert, row in zip(alerts, rows, strict=True):
            log.warning("newsmon alert: %s", alert.message)
            delivery = _post(settings.alert_webhook_url, alert, settings.full_user_agent) \
                if settings.alert_webhook_url else "logged"
            records.append((alert.alert_id, alert.kind, row[2], row[3], alert.message,
                            json.dumps(alert.payload), now, delivery))
        if records:
            con.executemany("insert into alerts values (?, ?, ?, ?, ?, ?, ?, ?)", records)
    return alerts
