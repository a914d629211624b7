"""Celery settings for newsmon's Airflow workers: Airflow's own, and a warm start.

`[celery] celery_config_options = newsmon.celery_worker.CELERY_CONFIG` (docker-compose.yml sets it for every
Airflow service) gives Celery Airflow's default settings unchanged. Importing this module also connects
newsmon.warm's preload to Celery's worker_init signal, which only a worker sends, once, before it forks its
pool: every task process (Airflow forks it from a pool process) then starts warm. tests/e2e checks that the
workers preload. A failed preload is logged and changes nothing else: each task imports what it needs.
"""

from __future__ import annotations

import logging
from typing import Any

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import worker_init

from newsmon import warm

log = logging.getLogger(__name__)

CELERY_CONFIG: dict[str, Any] = dict(DEFAULT_CELERY_CONFIG)


@worker_init.connect
def _preload_on_worker_init(**_: object) -> None:
    ok, line = warm.start("worker")
    log.log(logging.INFO if ok else logging.WARNING, line)
