"""Names the newsmon DAGs share: the warehouse Asset, the one-slot pool of the single DuckDB writer and
the Celery queue of the tasks that open the DuckDB file.

DAG files import it at parse time, so it imports nothing but airflow.sdk and the standard library (and
newsmon/__init__.py, which imports nothing). The demo, the compose file's init service and the tests
create the pool by this name."""

from __future__ import annotations

import os
import tomllib

from airflow.sdk import Asset

WAREHOUSE = Asset(name="newsmon_warehouse", uri="newsmon://warehouse/duckdb")
LOAD_POOL = "newsmon_warehouse"
DEFAULT_WAREHOUSE_QUEUE = "warehouse"


def warehouse_queue() -> str:
    """The config's `warehouse_queue` (read from NEWSMON_CONFIG when a DAG file is parsed), else
    "warehouse". A config that cannot be read here is reported when a task reads it."""
    path = os.environ.get("NEWSMON_CONFIG")
    if not path:
        return DEFAULT_WAREHOUSE_QUEUE
    try:
        with open(path, "rb") as fh:
            value = tomllib.load(fh).get("warehouse_queue", DEFAULT_WAREHOUSE_QUEUE)
    except (OSError, tomllib.TOMLDecodeError):
        return DEFAULT_WAREHOUSE_QUEUE
    return value if isinstance(value, str) and value else DEFAULT_WAREHOUSE_QUEUE


WAREHOUSE_QUEUE = warehouse_queue()
