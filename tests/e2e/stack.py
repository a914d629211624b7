"""The Airflow services of docker-compose.yml as plain processes (there is no Docker engine here):
their environment, their commands, and a small REST client. tests/test_compose.py checks that this and
the compose file agree."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from newsmon.local_airflow import stop_groups
from warehouse.db import read_connection

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = str(Path(sys.executable).with_name("airflow"))
PG = "postgresql+psycopg2://postgres@127.0.0.1:5432"
LOAD_POOL = "newsmon_warehouse"
SERVICES = {  # process name -> airflow command, as the compose services run them
    "api-server": ["api-server"],
    "scheduler": ["scheduler"],
    "dag-processor": ["dag-processor"],
    "triggerer": ["triggerer"],
    "worker": ["celery", "worker"],
    "warehouse-worker": ["celery", "worker", "--queues", "warehouse", "--concurrency", "1"],
}


def celery_env(home: Path, db_name: str, redis_db: int, port: int, config: Path, jwt_secret: str) -> dict[str, str]:
    """The environment every service gets: the same keys as x-airflow-common in docker-compose.yml."""
    return {"AIRFLOW_HOME": str(home), "PYTHONPATH": str(ROOT), "NEWSMON_CONFIG": str(config),
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"{PG}/{db_name}",
            "AIRFLOW__CELERY__BROKER_URL": f"redis://127.0.0.1:6379/{redis_db}",
            "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql://postgres@127.0.0.1:5432/{db_name}",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__API__HOST": "127.0.0.1", "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"), "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
            "AIRFLOW__CORE__AUTH_MANAGER":
                "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__API_AUTH__JWT_SECRET": jwt_secret,
            "AIRFLOW__CORE__FERNET_KEY": "",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "15",  # heartbeats come every second (below)
            "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
            "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": "newsmon.celery_worker.CELERY_CONFIG",
            # the DAG files do not change during the suite: parse them once, not again every 30 s (compose keeps
            # Airflow's default, so that an edited DAG shows up)
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "600",
            # a task slot frees within a second of its task ending, not up to 5 s later (the supervisor
            # notices the exit when its select wakes: at most every min_heartbeat_interval)
            "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": "1"}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str) -> None:
    import psycopg2

    con = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    con.autocommit = True
    try:
        con.cursor().execute(sql)
    finally:
        con.close()


class Stack:
    """The Airflow services as processes, each in its own process group so teardown leaves nothing."""

    def __init__(self, home: Path, env: dict[str, str], api: str):
        self.home, self.env, self.api = home, env, api
        self.procs: dict[str, subprocess.Popen] = {}
        self._token: str | None = None

    def start(self, name: str, *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.Popen:
        """Start one service; `cwd` and extra `env` let a worker act as if on a machine of its own."""
        log = (self.home / f"{name}.log").open("ab")
        proc = subprocess.Popen([AIRFLOW, *args], env={**self.env, **(env or {})}, cwd=cwd, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        """Every service stopped at once with 5 s of grace (all but the triggerer exit within a second; the
        triggerer waits 10 s on its idle trigger runner), as `newsmon airflow` stops its own."""
        stop_groups(self.procs.values(), grace_s=5)
        self.procs.clear()

    def request(self, method: str, path: str, **kw) -> dict:
        if self._token is None:
            self._token = requests.get(f"{self.api}/auth/token", timeout=10).json()["access_token"]
        resp = requests.request(method, f"{self.api}{path}", headers={"Authorization": f"Bearer {self._token}"},
                                timeout=30, **kw)
        assert resp.status_code < 300, f"{method} {path}: {resp.status_code} {resp.text[:500]}"
        return resp.json() if resp.content else {}

    def wait_run(self, dag_id: str, run_id: str, timeout: float = 240) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.request("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")["state"]
            if state in ("success", "failed"):
                return state
            time.sleep(2)
        raise AssertionError(f"{dag_id} {run_id} did not finish in {timeout} s; logs in {self.home}")

    def runs(self, dag_id: str) -> list[dict]:
        return self.request("GET", f"/api/v2/dags/{dag_id}/dagRuns", params={"limit": 100})["dag_runs"]


@contextmanager
def own_redis_db(first: int = 1, last: int = 15) -> Iterator[int]:
    """A Redis database number no other test suite on this machine is using: claimed with SET NX in db 0
    (expiring after two hours, should a suite die without releasing it), emptied and released afterwards."""
    import redis

    claims = redis.Redis(host="127.0.0.1", port=6379, db=0)
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    for n in range(first, last + 1):
        if claims.set(f"newsmon-test-suite:db{n}", token, nx=True, ex=7200):
            break
    else:
        raise RuntimeError(f"every Redis database {first}..{last} is claimed by another newsmon test suite")
    try:
        redis.Redis(host="127.0.0.1", port=6379, db=n).flushdb()  # whatever an earlier, killed suite left
        yield n
    finally:
        redis.Redis(host="127.0.0.1", port=6379, db=n).flushdb()
        if claims.get(f"newsmon-test-suite:db{n}") == token.encode():
            claims.delete(f"newsmon-test-suite:db{n}")


def warehouse_rows(db: Path) -> dict[str, list]:
    # Through the published snapshot, as every reader does: entity_trends may be writing the warehouse
    # file itself right now (it runs on the Asset event of the run the test just waited for).
    with read_connection(db) as con:
        return {t: sorted(con.execute(f"select * from {t}").fetchall(), key=str)
                for t in ("articles", "entities", "mentions", "article_entities", "entity_aliases")}


def trigger(stack: Stack, dag_id: str = "related_articles") -> str:
    run = stack.request("POST", f"/api/v2/dags/{dag_id}/dagRuns", json={"logical_date": None})
    return run["dag_run_id"]


def stable_rows(db: Path) -> dict[str, list]:
    """The rows two crawls of the same site agree on: no fetch times, run ids or first-seen times, and a
    page or feed that a second visit found unchanged (304) counts as what the first visit made of it
    (the scheduler's own first run may have visited the single-machine warehouse's pages twice)."""
    queries = {"articles": "select article_id, canonical_url, title, word_count, story_id is not null from articles",
               "entities": "select entity_id, name, type from entities",
               "mentions": "select * from mentions",
               "urls": "select url, case state when 'unchanged' then 'stored' else state end, article_id, relation,"
                       " case when detail like '%Not Modified%' or detail like 'feed with %' then null"
                       " else detail end from urls"}
    with read_connection(db) as con:
        return {t: sorted(con.execute(sql).fetchall(), key=str) for t, sql in queries.items()}
