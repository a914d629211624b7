"""The docs cannot drift: the pages that show data are regenerated from a warehouse built with the demo's
own config and compared with the committed ones; every cookbook query answers; the site builds with
`mkdocs build --strict` (no broken link or missing page); the README stays short."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.db import read_connection

ROOT = Path(__file__).resolve().parents[1]
generate = runpy.run_path(str(ROOT / "docs" / "generate.py"))


def test_generated_pages_match_what_the_demo_warehouse_gives(network_db):
    stale = [str(path.relative_to(ROOT)) for path, text in generate["outputs"](network_db).items()
             if path.read_text(encoding="utf-8") != text]
    assert not stale, f"regenerate with `make demo && .venv/bin/python docs/generate.py`: {stale}"


@pytest.mark.parametrize(("name", "question", "sql"), generate["recipes"]())
def test_every_cookbook_query_answers_on_the_demo_warehouse(network_db, name, question, sql):
    with read_connection(network_db) as con:
        rows = con.execute(sql).fetchall()
    assert rows, f"{name} ({question}) returned nothing"


def test_the_readme_says_what_it_does_and_stays_short():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    for words in ("make demo", "make test", "newsmon dashboard", "newsmon sql", "make airflow",
                  "config/examples/xi-putin-call.toml", "docs/howto/cluster.md"):
        assert words in readme, words
    assert "**12 articles** from **3 outlets**" in readme


def test_the_site_builds_strictly(tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                         cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    for page in ("index.html", "quickstart/index.html", "reference/warehouse/index.html",
                 "howto/dashboard/index.html", "img/dashboard-crawl.png"):
        assert (tmp_path / "site" / page).exists(), page
    quickstart = (tmp_path / "site" / "quickstart" / "index.html").read_text(encoding="utf-8")
    assert "12 articles" in quickstart  # the generated demo figures are included in the page


def test_every_dashboard_page_has_a_screenshot_in_the_docs():
    for page in ("overview", "entities", "stories", "articles", "outlets", "crawl"):
        shot = ROOT / "docs" / "img" / f"dashboard-{page}.png"
        assert shot.exists() and shot.stat().st_size > 20_000, f"retake with python docs/screenshots.py: {shot}"
        assert f"img/dashboard-{page}.png" in (ROOT / "docs" / "howto" / "dashboard.md").read_text()


def test_every_config_key_and_command_is_in_the_reference():
    from core.config import SearchSource, Settings
    from newsmon.cli import app

    rows = [line for line in (ROOT / "docs" / "reference" / "configuration.md").read_text(encoding="utf-8")
            .splitlines() if line.startswith("| `")]
    missing = [key for key in Settings.model_fields if not any(f"`{key}`" in row for row in rows)]
    search = (ROOT / "docs" / "explain" / "coverage.md").read_text(encoding="utf-8")
    missing += [f"search.{key}" for key in SearchSource.model_fields if f"`{key}`" not in search]
    assert not missing, f"document these keys in docs/reference/configuration.md: {missing}"
    cli = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert len(commands) >= 10
    assert not [c for c in commands if f"`newsmon {c}" not in cli], "document every command in docs/reference/cli.md"
