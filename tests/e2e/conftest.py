"""The Celery stack each test file of this folder gets (module scope): newsmon on a real Airflow cluster,
CeleryExecutor on PostgreSQL and Redis, the api-server, scheduler, dag-processor, triggerer and Celery
workers running as processes (the services of docker-compose.yml, without Docker). Everything is torn
down afterwards, the database dropped and the Redis database released."""

from __future__ import annotations

import os
import secrets
import subprocess
import time

import pytest
import requests

from tests.conftest import make_settings, write_config
from tests.e2e.stack import AIRFLOW, LOAD_POOL, SERVICES, Stack, celery_env, free_port, own_redis_db, psql


@pytest.fixture(scope="module")
def stack(tmp_path_factory, site):
    with own_redis_db() as redis_db:  # not shared with another suite running on this machine
        yield from _stack(tmp_path_factory, site, redis_db)


def _stack(tmp_path_factory, site, redis_db: int):
    home = tmp_path_factory.mktemp("airflow-celery")
    db_name = f"newsmon_e2e_{secrets.token_hex(4)}"
    port = free_port()
    # a failed task's retry comes 2 s later, not the default 20 s: the killed-worker test waits for one
    settings = make_settings(home, site, per_host_delay_s=0.3, task_retry_delay_s=2.0)
    config = write_config(home / "newsmon.toml", settings)
    env = {**os.environ, **celery_env(home, db_name, redis_db, port, config, secrets.token_hex(16))}
    psql(f"create database {db_name}")
    stack = Stack(home, env, f"http://127.0.0.1:{port}")
    try:
        subprocess.run([AIRFLOW, "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
        subprocess.run([AIRFLOW, "pools", "set", LOAD_POOL, "1", "single DuckDB writer"], env=env,
                       check=True, capture_output=True, timeout=120)
        for name, args in SERVICES.items():
            stack.start(name, *args)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                dags = {d["dag_id"] for d in stack.request("GET", "/api/v2/dags")["dags"]}
                if {"related_articles", "entity_trends"} <= dags:
                    break
            except (requests.RequestException, AssertionError, KeyError):
                pass
            time.sleep(2)
        else:
            raise AssertionError(f"the stack did not come up; logs in {home}")
        stack.settings = settings
        yield stack
    finally:
        stack.stop_all()
        psql(f"drop database if exists {db_name} with (force)")
