"""Shared fixtures: the sample site on 127.0.0.1, settings for it, and a guard that keeps tests offline."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

from core.config import Settings
from sample_site import SampleSite

FIXTURES = Path(__file__).parent / "fixtures"
_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> None:
    """Refuse any connection that would leave this machine: tests are offline by construction."""
    if isinstance(address, tuple) and self.family in (socket.AF_INET, socket.AF_INET6):
        host = str(address[0])
        try:
            ip = ipaddress.ip_address(host.split("%")[0])
        except ValueError:
            ip = None
        if ip is None or not ip.is_loopback:
            raise OSError(f"test tried to reach {host}: tests must stay on 127.0.0.1")
    _real_connect(self, address)


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(scope="session")
def site() -> SampleSite:
    with SampleSite() as running:
        yield running


@pytest.fixture
def fresh_site() -> SampleSite:
    """A sample site of its own, for tests that count requests or need per-path state."""
    with SampleSite() as running:
        yield running


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, site):
    """The sample site's warehouse after one ingestion cycle, built once per test session.

    Read it, never write it: several test modules share it."""
    from newsmon.pipeline import run_cycle

    settings = make_settings(tmp_path_factory.mktemp("sample-warehouse"), site)
    run_cycle(settings)
    return settings.db


@pytest.fixture(scope="session")
def network_db(tmp_path_factory):
    """The demo's warehouse: one cycle with `newsmon demo`'s own config on the sample network (three
    outlets, a sitemap, the GDELT and RSS search endpoints), without Airflow. Read it, never write it."""
    from core.config import load_settings
    from newsmon.demo import write_demo_config
    from newsmon.pipeline import run_cycle
    from sample_site import SampleNetwork

    with SampleNetwork() as net:
        config = write_demo_config(tmp_path_factory.mktemp("network-warehouse"), net.base_url)
        run_cycle(load_settings(config).model_copy(update={"per_host_delay_s": 0.0}))
    return load_settings(config).db


def read_rows(db: Path, sql: str) -> list[tuple]:
    """Rows of one query on the warehouse file, opened read-only for that query only."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def make_settings(tmp_path: Path, site: SampleSite, **overrides: object) -> Settings:
    values = {
        "seeds": [site.url("/news/xi-putin-call")],
        "db": tmp_path / "newsmon.duckdb",
        "data_dir": tmp_path / "data",
        "allow_private_networks": ["127.0.0.1/32"],
        "per_host_delay_s": 0.0,
        "backoff_s": 0.05,
        "max_retry_after_s": 1.0,
    }
    values.update(overrides)
    return Settings(**values)


def write_config(path: Path, settings: Settings) -> Path:
    """Write settings as a TOML config file (the CLI's and the DAG's input)."""
    lines = []
    for key, value in settings.model_dump(exclude_defaults=False).items():
        if value is None:  # TOML has no null: an absent key means the default
            continue
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, int | float):
            lines.append(f"{key} = {value}")
        elif isinstance(value, list):
            lines.append(f"{key} = [" + ", ".join(str(v) if isinstance(v, int | float) else f'"{v}"'
                                                  for v in value) + "]")
        else:
            lines.append(f'{key} = "{value}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def s3_server():
    """A moto S3 server process on 127.0.0.1 for the session (tests/s3server.py)."""
    from tests.s3server import S3Server

    with S3Server() as server:
        yield server


@pytest.fixture
def s3(s3_server, monkeypatch):
    """The S3 server's credentials and endpoint in this test's environment (as a worker would have
    them), and a fresh bucket: yields (server, "s3://<bucket>")."""
    import fsspec

    for key, value in s3_server.env.items():
        monkeypatch.setenv(key, value)
    fsspec.AbstractFileSystem.clear_instance_cache()
    yield s3_server, f"s3://{s3_server.bucket()}"
    fsspec.AbstractFileSystem.clear_instance_cache()


# The longest files first (as measured on 2 cores), so that `make test`'s parallel workers (pytest-xdist, one
# file per worker at a time) start them at once and the run does not end waiting on one of them: the Celery
# file runs a whole Airflow cluster. Prefixes; the files not listed follow in collected order.
LONG_FIRST = ("tests/e2e/", "tests/test_local_airflow", "tests/dashboard/test_browser", "tests/dags/test_dag_run",
              "tests/faults/test_lost_batch", "tests/faults/test_killed_run", "tests/cli/test_cli",
              "tests/faults/test_failures_say_where", "tests/test_monitor", "tests/faults/test_disk_full",
              "tests/faults/test_wal_cut_short", "tests/extract/test_deadline", "tests/dashboard/test_app",
              "tests/bench/test_dashboard_bench", "tests/bench/test_cycles_bench", "tests/faults/test_bad_cli_input",
              "tests/bench/test_entities_bench", "tests/faults/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return next((n for n, prefix in enumerate(LONG_FIRST) if path.startswith(prefix)), len(LONG_FIRST))

    items.sort(key=rank)  # stable: within a rank, the collected order
