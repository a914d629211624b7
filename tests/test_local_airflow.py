"""`newsmon airflow`: Airflow on one machine without Docker, started as a user would (the CLI, a fresh
home, SQLite metadata). The scheduler itself starts related_articles (a scheduled run, not a triggered
one), its published cycle starts entity_trends, both succeed (with --metadata-db on PostgreSQL: the
scheduler starts the run); the services listen on 127.0.0.1 only, the
login is generated and its secrets are private; Ctrl-C stops every process."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import jwt
import pytest
import requests

from newsmon.warm import PRELOADED
from tests.conftest import make_settings, write_config
from warehouse.db import read_connection

pytestmark = pytest.mark.airflow
API_TIMEOUT = 60  # seconds: the api-server answers slowly while the suite loads both cores


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """The local addresses a TCP socket listens on for `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def processes_of(home: Path) -> list[int]:
    """Processes whose environment names this Airflow home."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if f"AIRFLOW_HOME={home}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                    pids.append(int(proc.name))
            except OSError:
                continue
    return pids


def wait_for(what: str, check, timeout: float, log: Path):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(2)
    raise AssertionError(f"{what} did not happen in {timeout:.0f} s; newsmon airflow said:\n{log.read_text()[-3000:]}")


@pytest.fixture(params=["sqlite", "postgresql"])
def metadata(request):
    """No option (SQLite in the home), or --metadata-db on a PostgreSQL database made for the test."""
    if request.param == "sqlite":
        yield []
        return
    from tests.e2e.stack import PG, psql

    name = f"newsmon_local_{secrets.token_hex(4)}"
    psql(f"create database {name}")
    try:
        yield ["--metadata-db", f"{PG}/{name}"]
    finally:
        psql(f"drop database if exists {name} with (force)")


def test_one_machine_airflow_schedules_the_cycle_and_the_trends(tmp_path, site, metadata):
    config = write_config(tmp_path / "newsmon.toml", make_settings(tmp_path, site))
    home, port, out = tmp_path / "airflow-home", free_port(), tmp_path / "newsmon-airflow.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NEWSMON_AIRFLOW"))}
    with out.open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "newsmon", "airflow", "--config", str(config), "--home",
                                 str(home), "--port", str(port), *metadata], stdout=log, stderr=subprocess.STDOUT,
                                env=env)
    try:
        said = wait_for("the ready message", lambda: "Ctrl-C stops" in out.read_text() and out.read_text(), 400, out)
        said = " ".join(said.split())
        assert ("postgresql" in said) == bool(metadata) and ("sqlite" in said) != bool(metadata)
        password = re.search(r"user admin, password (\S+) \(shown once; kept in", said).group(1)
        for secret in ("passwords.json", "jwt_secret", "fernet_key"):
            assert stat.S_IMODE((home / secret).stat().st_mode) == 0o600, secret
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1 only
        api = f"http://127.0.0.1:{port}"
        assert requests.get(f"{api}/api/v2/dags", timeout=API_TIMEOUT).status_code == 401
        bad = requests.post(f"{api}/auth/token", json={"username": "admin", "password": "admin"},
                            timeout=API_TIMEOUT)
        assert bad.status_code == 401
        token = requests.post(f"{api}/auth/token", json={"username": "admin", "password": password},
                              timeout=API_TIMEOUT).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        claims = jwt.decode(token, options={"verify_signature": False})
        for key in ("change-me", secrets.token_hex(32)):  # the old compose default, and any other secret
            forged = jwt.encode({**claims, "sub": "admin"}, key, algorithm=jwt.get_unverified_header(token)["alg"])
            for method, path in (("GET", "/api/v2/dags"), ("POST", "/api/v2/variables")):
                refused = requests.request(method, f"{api}{path}", headers={"Authorization": f"Bearer {forged}"},
                                           json={"key": "k", "value": "v"}, timeout=API_TIMEOUT)
                assert refused.status_code == 403 and "Invalid JWT token" in refused.text, (key, path, refused.text)
        dags = requests.get(f"{api}/api/v2/dags", headers=auth, timeout=API_TIMEOUT).json()["dags"]
        assert {d["dag_id"]: d["is_paused"] for d in dags} == {"related_articles": False, "entity_trends": False}

        def runs(dag_id: str) -> list[dict]:
            return requests.get(f"{api}/api/v2/dags/{dag_id}/dagRuns", headers=auth,
                                timeout=API_TIMEOUT).json()["dag_runs"]

        def finished(dag_id: str) -> list[dict]:
            done = [r for r in runs(dag_id) if r["state"] in ("success", "failed")]
            return done

        if metadata:  # on PostgreSQL: the scheduler has made its first run of the cycle (the runs themselves
            # are the SQLite case's, and the Celery suite's on PostgreSQL)
            assert wait_for("a scheduled related_articles run", lambda: runs("related_articles"), 400, out)
        else:
            cycle = wait_for("a scheduled related_articles run", lambda: finished("related_articles"), 400, out)[0]
            assert (cycle["run_type"], cycle["state"]) == ("scheduled", "success"), cycle
            trends = wait_for("the entity_trends run it feeds", lambda: finished("entity_trends"), 240, out)[0]
            assert (trends["run_type"], trends["state"]) == ("asset_triggered", "success"), trends
            with read_connection(tmp_path / "newsmon.duckdb") as con:
                assert con.execute("select count(*) from articles").fetchone()[0] == 8
                assert con.execute("select count(*) from alerts").fetchone()[0] > 0
        assert processes_of(home)
        assert PRELOADED in (home / "logs" / "scheduler.log").read_text(encoding="utf-8", errors="replace")
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        code = proc.wait(timeout=90)
    assert code == 0, out.read_text()[-2000:]
    assert "stopping Airflow" in out.read_text()
    assert processes_of(home) == [] and listening_addresses(port) == set()
    assert json.loads((home / "passwords.json").read_text()) == {"admin": password}
