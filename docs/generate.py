"""Regenerate every page of the docs that shows data, so none can drift from the code:

- docs/reference/warehouse.md: every table, view, macro and column with its type and its COMMENT, read
  from a new warehouse at the latest migration;
- docs/reference/cookbook.md: each query in warehouse/sql/cookbook with its output on the demo's
  warehouse;
- docs/snippets/demo.md and the block between the `demo` markers in README.md: what `make demo` gives.

Usage: python docs/generate.py [DB]   (default: var/demo/newsmon.duckdb, which `make demo` builds)
tests/test_docs.py regenerates them from a warehouse built with the demo's own config and fails when a
committed page differs."""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README_START, README_END = "<!-- demo:start (written by docs/generate.py) -->", "<!-- demo:end -->"
# the demo serves its three publishers on these origins; a warehouse built on other ports is shown with them
DEMO_ORIGINS = {"The Harbour Courier": "http://127.0.0.1:8765", "The Lakeside Post": "http://127.0.0.1:8766",
                "The Northern Ledger": "http://127.0.0.1:8767"}


def recipes() -> list[tuple[str, str, str]]:
    """(file name, question, sql) for every cookbook query, in order."""
    folder = resources.files("warehouse") / "sql" / "cookbook"
    out = []
    for f in sorted(folder.iterdir(), key=lambda f: f.name):
        if f.name.endswith(".sql"):
            sql = f.read_text(encoding="utf-8")
            out.append((f.name, sql.splitlines()[0].removeprefix("-- ").strip(), sql))
    return out


def text(value: object) -> str:
    """A value as Markdown text: angle brackets and ampersands shown, never taken for HTML."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_table(columns: list[str], rows: list[tuple]) -> str:
    def cell(v: object) -> str:
        return "" if v is None else text(v).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def as_demo(con) -> Callable[[str], str]:  # type: ignore[no-untyped-def]
    """Text with the warehouse's publisher origins written as the demo's (a test builds it on free ports)."""
    rows = con.execute("select distinct site_name, regexp_extract(canonical_url, '^(https?://[^/]+)', 1) "
                       "from articles where site_name is not null").fetchall()
    swaps = {origin: DEMO_ORIGINS[site] for site, origin in rows if site in DEMO_ORIGINS}

    def rewrite(text: str) -> str:
        for origin, demo in swaps.items():
            text = text.replace(origin, demo)
        return text
    return rewrite


def cookbook(db: Path) -> str:
    from warehouse.db import read_connection

    parts = ["# Query cookbook", "",
             "Each question as a runnable DuckDB query (also in `warehouse/sql/cookbook/`), with its output on",
             "the demo's warehouse (`make demo`). Run one with `newsmon sql < warehouse/sql/cookbook/NAME.sql`;",
             "every table, view and macro is in the [warehouse reference](warehouse.md). This page is written",
             "by `python docs/generate.py`.", ""]
    with read_connection(db) as con:
        demo = as_demo(con)
        for name, question, sql in recipes():
            cur = con.execute(sql)
            table = markdown_table([d[0] for d in cur.description], cur.fetchall())
            parts += [f"## {question}", "", f"`warehouse/sql/cookbook/{name}`", "", "```sql", sql.strip(), "```",
                      "", demo(table), ""]
    return "\n".join(parts)


CATALOG = {
    "tables": "select table_name, comment from duckdb_tables() where schema_name = 'main' and not temporary "
              "order by table_name",
    "views": "select view_name, comment from duckdb_views() where schema_name = 'main' and not internal "
             "and not temporary order by view_name",
    "macros": "select function_name, function_type, parameters, comment from duckdb_functions() "
              "where schema_name = 'main' and not internal and function_type in ('macro', 'table_macro') "
              "order by function_name",
}


def warehouse_reference() -> str:
    """Every table, view, macro and column of a new warehouse, with the comments the migrations give."""
    import duckdb

    from warehouse.db import connect, migrations

    with tempfile.TemporaryDirectory() as tmp:
        connect(Path(tmp) / "w.duckdb").close()
        con = duckdb.connect(str(Path(tmp) / "w.duckdb"), read_only=True)
        try:
            parts = ["# Warehouse reference", "",
                     f"The DuckDB warehouse at migration {migrations()[-1][1]}: every table, view and macro,",
                     "with its columns and what they hold. The same text is in the database itself",
                     "(`select * from duckdb_columns()`, `.schema NAME` in `newsmon sql`). How loads, migrations",
                     "and the crawl ledger's states work: [the warehouse](../explain/warehouse.md). This page is",
                     "written by `python docs/generate.py`.", ""]
            for kind in ("tables", "views"):
                parts += [f"## {kind.title()}", ""]
                for name, comment in con.execute(CATALOG[kind]).fetchall():
                    columns = con.execute("select column_name, data_type, comment from duckdb_columns() "
                                          "where schema_name = 'main' and table_name = ? order by column_index",
                                          [name]).fetchall()
                    parts += [f"### {name}", "", text(comment or ""), "",
                              markdown_table(["column", "type", "what it holds"], columns), ""]
            parts += ["## Macros", ""]
            for name, kind, params, comment in con.execute(CATALOG["macros"]).fetchall():
                parts += [f"### {name}", "", f"`{name}({', '.join(params)})`, "
                          f"{'a table macro' if kind == 'table_macro' else 'a scalar macro'}.", "",
                          text(comment or ""), ""]
        finally:
            con.close()
    return "\n".join(parts)


def demo_summary(db: Path) -> str:
    """What the demo's warehouse holds, in numbers and two small tables."""
    from warehouse.db import read_connection

    with read_connection(db) as con:
        articles, copies, outlets, stories, entities, first, last = con.execute(
            "select count(*) filter (where duplicate_of is null), count(*), count(distinct outlet(site_name, "
            "canonical_url)), (select count(*) from stories), (select count(*) from entities), "
            "min(cast(coalesce(published_at, fetched_at) as date)), max(cast(coalesce(published_at, fetched_at) "
            "as date)) from articles").fetchone()
        top = con.execute("select name, type, articles, mentions from entity_totals "
                          "order by articles desc, mentions desc, name limit 8").fetchall()
        story_rows = con.execute("select label, cast(first_seen_at as date) as first_day, cast(last_seen_at as date) "
                                 "as last_day, size as articles, copies, outlets from stories "
                                 "order by size desc, copies desc, first_seen_at, label").fetchall()
    return "\n".join([
        f"**{copies} articles** from **{outlets} outlets** ({articles} once near-duplicate copies count once), "
        f"grouped into **{stories} stories**, mentioning **{entities} entities**, published "
        f"{first:%d %b %Y} to {last:%d %b %Y}. The most covered entities:", "",
        markdown_table(["name", "type", "articles", "mentions"], top), "",
        "The stories, each wire copy counted once in `articles`:", "",
        markdown_table(["label", "first_day", "last_day", "articles", "copies", "outlets"], story_rows), ""])


def outputs(db: Path) -> dict[Path, str]:
    """Every generated page (path -> text), README.md with its demo block rewritten."""
    summary = demo_summary(db)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.S)
    return {DOCS / "reference" / "warehouse.md": warehouse_reference(),
            DOCS / "reference" / "cookbook.md": cookbook(db),
            DOCS / "snippets" / "demo.md": summary,
            ROOT / "README.md": block.sub(lambda _m: f"{README_START}\n{summary}{README_END}", readme)}


def main(db: Path) -> None:
    for path, text in outputs(db).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "demo" / "newsmon.duckdb")
