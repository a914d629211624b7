"""Names the newsmon DAGs share: the warehouse Asset, the one-slot pool of the single DuckDB writer and
the Celery queue of the tasks that open the DuckDB file, and the tasks' retry delay.

DAG files import it at parse time, so it imports nothing but airflow.sdk and the standard library (and
newsmon/__init__.py, which imports nothing). The demo, the compose file's init service and the tests
create the pool by this name."""

from __future__ import annotations

import os
import tomllib
from datetime import timedelta

from airflow.sdk import Asset

WAREHOUSE = Asset(name="newsmon_warehouse", uri="newsmon://warehouse/duckdb")
LOAD_POOL = "newsmon_warehouse"
DEFAULT_WAREHOUSE_QUEUE = "warehouse"
DEFAULT_TASK_RETRY_DELAY_S = 20.0


def _parse_time_config() -> dict:
    """The TOML file named by NEWSMON_CONFIG, read when a DAG file is parsed; {} when there is none or it
    cannot be read (a task that reads it reports why)."""
    path = os.environ.get("NEWSMON_CONFIG")
    if not path:
        return {}
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def warehouse_queue() -> str:
    """The config's `warehouse_queue`, else "warehouse"."""
    value = _parse_time_config().get("warehouse_queue", DEFAULT_WAREHOUSE_QUEUE)
    return value if isinstance(value, str) and value else DEFAULT_WAREHOUSE_QUEUE


def task_retry_delay() -> timedelta:
    """The config's `task_retry_delay_s` (the first retry's delay of a failed task; it doubles on each
    further retry), else 20 s. A value Settings would refuse falls back to the default here."""
    value = _parse_time_config().get("task_retry_delay_s", DEFAULT_TASK_RETRY_DELAY_S)
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 3600
    return timedelta(seconds=float(value) if ok else DEFAULT_TASK_RETRY_DELAY_S)


WAREHOUSE_QUEUE = warehouse_queue()
TASK_RETRY_DELAY = task_retry_delay()
