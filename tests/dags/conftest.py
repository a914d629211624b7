"""An embedded Airflow for DAG tests: its own AIRFLOW_HOME with SQLite metadata, set before airflow loads."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
# a process spawned by a test (tests/dags/test_dag_run.py) imports this again: it keeps the home it inherits
HOME = Path(os.environ.get("NEWSMON_TEST_AIRFLOW_HOME") or tempfile.mkdtemp(prefix="newsmon-airflow-"))
AIRFLOW_ENV = {
    "NEWSMON_TEST_AIRFLOW_HOME": str(HOME),
    "AIRFLOW_HOME": str(HOME),
    "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT / "dags"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{HOME / 'airflow.db'}",
    "PYTHONPATH": str(PROJECT),
}
os.environ.update(AIRFLOW_ENV)


def airflow(*args: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("airflow")
    res = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600,
                         env={**os.environ, **AIRFLOW_ENV, **(env or {})}, cwd=PROJECT)
    if check and res.returncode != 0:
        raise AssertionError(f"airflow {' '.join(args)} exited {res.returncode}:\n{res.stdout[-3000:]}\n"
                             f"{res.stderr[-3000:]}")
    return res


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """Airflow metadata migrated once per session, with the one-slot load pool."""
    airflow("db", "migrate")
    airflow("pools", "set", "newsmon_warehouse", "1", "single DuckDB writer")
    return HOME
