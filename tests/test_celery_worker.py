"""newsmon.warm and its two users: Airflow's Celery settings unchanged, a preload that warms what the tasks
use, a failed preload that only logs (tests/e2e shows real Celery workers preloading, tests/test_local_airflow.py
`newsmon airflow`'s scheduler)."""

from __future__ import annotations

import logging

from newsmon import celery_worker, warm


def test_the_celery_settings_are_airflows_own():
    from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG

    assert celery_worker.CELERY_CONFIG == DEFAULT_CELERY_CONFIG


def test_preload_imports_the_task_modules_and_builds_the_pipeline(monkeypatch, tmp_path):
    import sys

    from transform.entities import load_model

    monkeypatch.setenv("NEWSMON_CONFIG", str(tmp_path / "missing.toml"))  # no config: the default model
    assert warm.preload() > 0
    assert set(warm.TASK_MODULES) <= set(sys.modules)
    assert load_model.cache_info().currsize >= 1


def test_a_failed_preload_is_logged_and_the_worker_starts(monkeypatch, caplog):
    def broken() -> float:
        raise OSError("spaCy model 'x' is not installed")

    monkeypatch.setattr(warm, "preload", broken)
    with caplog.at_level(logging.INFO, logger="newsmon.celery_worker"):
        celery_worker._preload_on_worker_init(sender=None)  # what Celery's worker_init signal calls
    assert "preload failed, tasks will import what they need: spaCy model 'x' is not installed" in caplog.text
    assert warm.PRELOADED not in caplog.text
