"""Names the newsmon DAGs share: the warehouse Asset and the one-slot pool of the single DuckDB writer.

DAG files import it at parse time, so it imports nothing but airflow.sdk (and newsmon/__init__.py, which
imports nothing). The demo, the compose file's init service and the tests create the pool by this name."""

from __future__ import annotations

from airflow.sdk import Asset

WAREHOUSE = Asset(name="newsmon_warehouse", uri="newsmon://warehouse/duckdb")
LOAD_POOL = "newsmon_warehouse"
