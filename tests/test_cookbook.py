"""Every cookbook query runs on the sample site's warehouse, answers with rows, and is in docs/cookbook.md."""

import runpy
from pathlib import Path

import pytest

from warehouse.db import read_connection

DOCS = Path(__file__).resolve().parents[1] / "docs"
cookbook = runpy.run_path(str(DOCS / "cookbook.py"))


@pytest.mark.parametrize(("name", "question", "sql"), cookbook["recipes"]())
def test_recipe_answers(sample_db, name, question, sql):
    with read_connection(sample_db) as con:
        rows = con.execute(sql).fetchall()
    assert rows, f"{name} ({question}) returned nothing on the sample site"


def test_docs_are_in_sync_with_the_queries():
    text = (DOCS / "cookbook.md").read_text(encoding="utf-8")
    for name, question, sql in cookbook["recipes"]():
        assert f"## {question}" in text and sql.strip() in text, f"docs/cookbook.md is stale for {name}"


def test_render_includes_outputs(sample_db):
    text = cookbook["render"](sample_db)
    assert "| Vladimir Putin | PERSON |" in text and "## Which entities are rising" in text
