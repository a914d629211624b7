"""`newsmon airflow`: Airflow's api-server, scheduler, dag-processor and triggerer on one machine, without
Docker, for this project's DAGs.

Everything listens on 127.0.0.1 unless told otherwise; no example DAGs; the newsmon DAGs unpaused, so
`related_articles` runs every hour and `entity_trends` after each published cycle. The login is created
from $NEWSMON_AIRFLOW_PASSWORD, or generated once and printed once; the API's signing secret and the
Fernet key are generated once and kept (mode 0600) in the Airflow home. Metadata goes to SQLite in the
home unless AIRFLOW__DATABASE__SQL_ALCHEMY_CONN (or --metadata-db) names another database, such as
PostgreSQL. Tasks run with the LocalExecutor."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from newsmon.assets import LOAD_POOL

PROJECT = Path(__file__).resolve().parents[1]
AIRFLOW = str(Path(sys.executable).with_name("airflow"))
# each service's command; the scheduler starts warm (newsmon.local_scheduler: what it preloads, the
# LocalExecutor's workers and every task forked from them start with)
SERVICES = {"api-server": [AIRFLOW, "api-server"],
            "scheduler": [sys.executable, "-m", "newsmon.local_scheduler"],
            "dag-processor": [AIRFLOW, "dag-processor"], "triggerer": [AIRFLOW, "triggerer"]}
DAGS = ("related_articles", "entity_trends")
PASSWORD_ENV, USER_ENV = "NEWSMON_AIRFLOW_PASSWORD", "NEWSMON_AIRFLOW_USER"


def stop_groups(procs: Iterable[subprocess.Popen], grace_s: float) -> None:
    """SIGTERM each process's group at once, wait up to `grace_s` for all of them, SIGKILL what is left of
    each group and reap the process."""
    procs = list(procs)
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    for proc in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)


class AirflowFailed(RuntimeError):
    """A step of starting Airflow failed; the message names the step and its log."""


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, from its first byte on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def _secret_file(path: Path, make: Callable[[], str]) -> str:
    """The secret kept in `path`, made (and written with mode 0600) the first time."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    value = make()
    _write_private(path, value + "\n")
    return value


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode("ascii")


@dataclass
class Login:
    user: str
    password: str
    new: bool  # generated in this start: print it once
    stored: Path


@dataclass
class LocalAirflow:
    """The Airflow services of one machine, as child processes, each in its own process group."""

    home: Path
    config: Path
    port: int = 8080
    address: str = "127.0.0.1"
    metadata_db: str | None = None
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "::") else self.address
        return f"http://{host}:{self.port}"

    def login(self) -> Login:
        """The account: $NEWSMON_AIRFLOW_USER (admin) with $NEWSMON_AIRFLOW_PASSWORD, else the password
        generated on the first start and kept in the home."""
        user = os.environ.get(USER_ENV, "admin")
        self.home.mkdir(parents=True, exist_ok=True)
        self.home.chmod(0o700)  # it holds the secrets and the metadata
        stored = self.home / "passwords.json"
        given = os.environ.get(PASSWORD_ENV)
        known = json.loads(stored.read_text(encoding="utf-8")) if stored.exists() else {}
        password, new = given or known.get(user), False
        if not password:
            password, new = secrets.token_urlsafe(12), True
        if known.get(user) != password or not stored.exists():
            _write_private(stored, json.dumps({user: password}))
        return Login(user, password, new, stored)

    def env(self, login: Login) -> dict[str, str]:
        """What every service gets: this project's DAG folder and config, the secrets, 127.0.0.1."""
        self.home.mkdir(parents=True, exist_ok=True)
        metadata = self.metadata_db or os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN") or \
            f"sqlite:///{self.home / 'airflow.db'}"
        return {
            **os.environ,
            "AIRFLOW_HOME": str(self.home), "NEWSMON_CONFIG": str(self.config),
            "PYTHONPATH": os.pathsep.join(p for p in (str(PROJECT), os.environ.get("PYTHONPATH", "")) if p),
            "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT / "dags"), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False", "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor", "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata,
            "AIRFLOW__CORE__AUTH_MANAGER":
                "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{login.user}:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(login.stored),
            "AIRFLOW__API_AUTH__JWT_SECRET": _secret_file(self.home / "jwt_secret", lambda: secrets.token_hex(32)),
            "AIRFLOW__CORE__FERNET_KEY": _secret_file(self.home / "fernet_key", _fernet_key),
            "AIRFLOW__API__HOST": self.address, "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__API__BASE_URL": self.url,
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.url}/execution/",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
        }

    def _run(self, args: list[str], env: dict[str, str], what: str) -> None:
        log = self.home / "setup.log"
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"\n$ airflow {' '.join(args)}\n")
            fh.flush()
            code = subprocess.call([AIRFLOW, *args], env=env, stdout=fh, stderr=subprocess.STDOUT, cwd=PROJECT)
        if code != 0:
            tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:])
            raise AirflowFailed(f"{what} failed (`airflow {' '.join(args)}`, exit {code}); log {log}:\n{tail}")

    def prepare(self, env: dict[str, str]) -> None:
        """Create or upgrade the metadata database and the DuckDB writer's one-slot pool."""
        self._run(["db", "migrate"], env, "the metadata database")
        self._run(["pools", "set", LOAD_POOL, "1", "single DuckDB writer"], env, "the warehouse pool")

    def start(self, env: dict[str, str]) -> None:
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        for name, args in SERVICES.items():
            log = (self.home / "logs" / f"{name}.log").open("ab")
            self.procs[name] = subprocess.Popen(args, env=env, cwd=PROJECT, stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)
            log.close()

    def check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise AirflowFailed(f"the {name} stopped (exit {proc.returncode}); log {self.home}/logs/{name}.log")

    def token(self, login: Login) -> str:
        resp = requests.post(f"{self.url}/auth/token", json={"username": login.user, "password": login.password},
                             timeout=10)
        resp.raise_for_status()
        return resp.json()["access_token"]

    def wait_ready(self, login: Login, timeout: float = 240) -> str:
        """Wait until the API answers and the DAG processor has parsed both DAGs; unpause them (a home
        from an earlier start may have them paused); return an API token."""
        deadline, token = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                token = token or self.token(login)
                dags = requests.get(f"{self.url}/api/v2/dags", headers={"Authorization": f"Bearer {token}"},
                                    params={"dag_id_pattern": "%"}, timeout=10).json().get("dags", [])
                if set(DAGS) <= {d["dag_id"] for d in dags}:
                    for dag_id in DAGS:
                        requests.patch(f"{self.url}/api/v2/dags/{dag_id}", json={"is_paused": False},
                                       headers={"Authorization": f"Bearer {token}"}, timeout=10).raise_for_status()
                    return token
            except (requests.RequestException, ValueError, KeyError):
                pass
            time.sleep(2)
        raise AirflowFailed(f"Airflow was not ready in {timeout:.0f} s; logs in {self.home}/logs")

    def stop(self, grace_s: float = 30) -> None:
        """SIGTERM every service's process group, then SIGKILL what is left after `grace_s`."""
        stop_groups(self.procs.values(), grace_s)
        self.procs.clear()
