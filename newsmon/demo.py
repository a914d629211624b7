"""The README's main job: serve the sample site and run the related_articles DAG through Airflow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from newsmon.assets import LOAD_POOL as POOL
from sample_site import SampleNetwork

PROJECT = Path(__file__).resolve().parents[1]


def airflow_env(config: Path) -> dict[str, str]:
    """Environment for an embedded Airflow: SQLite metadata under the project's .airflow folder."""
    home = PROJECT / ".airflow"
    home.mkdir(exist_ok=True)
    return {**os.environ, "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "NEWSMON_CONFIG": str(config), "PYTHONPATH": str(PROJECT)}


def write_demo_config(workdir: Path, base_url: str) -> Path:
    """A config for the sample network: one seed, its sitemap, the two local search endpoints, local
    addresses allowed for 127.0.0.1 only."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "newsmon.toml"
    path.write_text(
        "# Written by `newsmon demo` for the bundled sample site.\n"
        f'seeds = ["{base_url}/news/xi-putin-call"]\n'
        f'db = "{workdir / "newsmon.duckdb"}"\n'
        f'data_dir = "{workdir / "data"}"\n'
        "max_depth = 2\n"
        'allow_private_networks = ["127.0.0.1/32"]\n'
        "per_host_delay_s = 0.2\n"
        "relevance_threshold = 0.2\n"
        "# the sample articles are from June 2022: read every sitemap entry, whatever its date\n"
        "sitemap_days = 0\n\n"
        "[[search]]\n"
        'provider = "gdelt"\n'
        f'endpoint = "{base_url}/api/v2/doc/doc"\n'
        'timespan = "7d"\n'
        "max_records = 100\n"
        "min_interval_s = 1.0\n\n"
        "[[search]]\n"
        'provider = "rss"\n'
        f'endpoint = "{base_url}/rss/search?q={{query}}"\n'
        "min_interval_s = 1.0\n", encoding="utf-8")
    return path


def _airflow(args: list[str], env: dict[str, str], log: Path, console: Console, what: str) -> None:
    exe = Path(sys.executable).with_name("airflow")
    console.print(f"[bold]airflow {' '.join(args)}[/bold] ({what})", highlight=False)
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"\n$ airflow {' '.join(args)}\n")
        fh.flush()
        code = subprocess.call([str(exe), *args], env=env, stdout=fh, stderr=subprocess.STDOUT, cwd=PROJECT)
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
        console.print("\n".join(tail), highlight=False, markup=False)
        raise RuntimeError(f"`airflow {' '.join(args)}` failed with exit code {code}; full log: {log}")


def run_demo(port: int, workdir: Path, console: Console) -> int:
    """Serve the site, run the DAG once with `airflow dags test` and then the alerts DAG it feeds, print
    trends and what to do next; return an exit code."""
    from newsmon.render import print_table
    from warehouse.trends import daily_mentions, stories

    workdir = workdir.resolve()
    try:
        site = SampleNetwork(port=port, other_ports=(port + 1, port + 2) if port else (0, 0))
    except OSError as exc:
        raise RuntimeError(f"cannot serve the sample site on 127.0.0.1:{port}..{port + 2}: {exc.strerror} "
                           "(pass --port)") from None
    config = write_demo_config(workdir, site.base_url)
    env = airflow_env(config)
    log = workdir / "airflow.log"
    with site:
        console.print(f"sample site at {site.base_url}/, config {config}", highlight=False)
        _airflow(["db", "migrate"], env, log, console, "metadata in .airflow/airflow.db")
        _airflow(["pools", "set", POOL, "1", "single DuckDB writer"], env, log, console, "one-slot load pool")
        _airflow(["dags", "test", "related_articles"], env, log, console, "the DAG against the sample site")
        _airflow(["dags", "test", "entity_trends"], env, log, console, "the alerts its published cycle feeds")
    db = workdir / "newsmon.duckdb"
    columns, rows = daily_mentions(db, limit=25)
    print_table(columns, rows, title="entity_daily: top mentions by day (copies counted once)")
    columns, rows = stories(db, limit=10)
    print_table(columns, rows, title="stories: articles, wire copies and outlets per event")
    console.print(f"DuckDB warehouse: {db}\nAirflow log: {log}", highlight=False)
    exe = Path(sys.executable).with_name("newsmon")
    newsmon = os.path.relpath(exe) if exe.exists() and shutil.which("newsmon") != str(exe) else "newsmon"
    config_arg = f"--config {os.path.relpath(config)}"
    console.print("\nNext:\n"
                  f"  {newsmon} dashboard {config_arg}    the dashboard, on http://127.0.0.1:8501/\n"
                  f"  {newsmon} sql {config_arg} \"select * from cooccurrence('xi') limit 5\"\n"
                  "  cp config/examples/xi-putin-call.toml my-story.toml    follow your own story\n"
                  "  make airflow    the monitor on the sample site every hour (Airflow, no Docker)\n"
                  "Docs: docs/quickstart.md (`make docs` builds the site)", highlight=False, soft_wrap=True)
    return 0
