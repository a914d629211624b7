"""A warm start for the processes Airflow forks tasks from: newsmon's task modules, spaCy and the entity
step's gazetteer, imported and built once, so that every task process forked afterwards starts with them
instead of importing them again. Measured on 2 cores: a parse task's process spends about 1.8 s of CPU on
that work cold and 0.5 s warm; any other task about 0.45 s less.

Used by Celery workers (newsmon.celery_worker, before a worker forks its pool) and by `newsmon airflow`'s
scheduler (newsmon.local_scheduler, before the LocalExecutor forks its workers)."""

from __future__ import annotations

import importlib
import time

PRELOADED = "newsmon worker preloaded"  # the start of the line a warm process logs
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


def start(who: str) -> tuple[bool, str]:
    """preload(), never raising (a warm start is an optimisation, never a reason not to start): whether it
    worked, and the line for `who`'s log."""
    try:
        seconds = preload()
    except Exception as exc:
        return False, f"newsmon {who} preload failed, tasks will import what they need: {exc}"
    return True, f"{PRELOADED} in {seconds:.1f} s (task modules, spaCy, gazetteer)"
