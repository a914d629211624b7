"""Celery settings for newsmon's Airflow workers: Airflow's own, and a warm start.

`[celery] celery_config_options = newsmon.celery_worker.CELERY_CONFIG` (docker-compose.yml sets it for every
Airflow service) gives Celery Airflow's default settings unchanged. Importing this module also connects
`preload` to Celery's worker_init signal, which only a worker sends, once, before it forks its pool: the
modules newsmon's tasks import, spaCy and the entity step's gazetteer are then loaded once per worker, and
every task process (Airflow forks it from a pool process) starts with them instead of importing them again.
Measured on 2 cores: a parse task's process spends about 1.8 s of CPU on that work cold and 0.5 s warm; any
other task about 0.45 s (tests/e2e checks that the workers preload).

A failed preload is logged and changes nothing else: each task imports what it needs, as without it.
"""

from __future__ import annotations

import importlib
import logging
import time
from typing import Any

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import worker_init

log = logging.getLogger(__name__)

CELERY_CONFIG: dict[str, Any] = dict(DEFAULT_CELERY_CONFIG)
PRELOADED = "newsmon worker preloaded"  # the start of the log line a warm worker writes
# what newsmon.tasks imports when its tasks run: discover and publish, fetch and collect, expand, parse,
# relate and load, check, alerts
TASK_MODULES = ("newsmon.pipeline", "extract.crawl", "newsmon.stage", "warehouse.checks", "newsmon.alerts")


def preload() -> float:
    """Import what the tasks use and build the entity step's pipeline once; returns the seconds it took."""
    started = time.perf_counter()
    for module in TASK_MODULES:
        importlib.import_module(module)
    from core.config import ConfigError, Settings, load_settings
    from transform.entities import load_model
    from transform.places import gazetteer

    gazetteer().ruler_patterns()
    try:
        model = load_settings().spacy_model
    except ConfigError:  # no config here: the tasks report it; preload the default model
        model = Settings.model_fields["spacy_model"].default
    load_model(model)
    return time.perf_counter() - started


@worker_init.connect
def _preload_on_worker_init(**_: object) -> None:
    try:
        seconds = preload()
    except Exception as exc:  # a warm start is an optimisation, never a reason not to start
        log.warning("newsmon worker preload failed, tasks will import what they need: %s", exc)
    else:
        log.info("%s in %.1f s (task modules, spaCy, gazetteer)", PRELOADED, seconds)
