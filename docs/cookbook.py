"""Write docs/cookbook.md: each query in warehouse/sql/cookbook with its output on a warehouse.

Usage: python docs/cookbook.py [DB]   (default: var/demo/newsmon.duckdb, which `make demo` builds)
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def recipes() -> list[tuple[str, str, str]]:
    """(file name, question, sql) for every cookbook query, in order."""
    folder = resources.files("warehouse") / "sql" / "cookbook"
    out = []
    for f in sorted(folder.iterdir(), key=lambda f: f.name):
        if f.name.endswith(".sql"):
            sql = f.read_text(encoding="utf-8")
            question = sql.splitlines()[0].removeprefix("-- ").strip()
            out.append((f.name, question, sql))
    return out


def markdown_table(columns: list[str], rows: list[tuple]) -> str:
    def cell(v: object) -> str:
        return "" if v is None else str(v).replace("|", "\\|")
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def render(db: Path) -> str:
    from warehouse.db import read_connection

    parts = ["# Query cookbook", "",
             "Each question as a runnable DuckDB query (also in `warehouse/sql/cookbook/`), with its output on",
             "the sample site's warehouse (`make demo`). Regenerate with `.venv/bin/python docs/cookbook.py`.",
             "Open the warehouse read-only next to a running pipeline through its published snapshot:",
             "`duckdb -readonly var/demo/newsmon.snapshot.duckdb`.", ""]
    with read_connection(db) as con:
        for name, question, sql in recipes():
            cur = con.execute(sql)
            columns, rows = [d[0] for d in cur.description], cur.fetchall()
            parts += [f"## {question}", "", f"`warehouse/sql/cookbook/{name}`", "", "```sql", sql.strip(), "```",
                      "", markdown_table(columns, rows), ""]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    db = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "demo" / "newsmon.duckdb"
    (ROOT / "docs" / "cookbook.md").write_text(render(db), encoding="utf-8")
    print(f"wrote {ROOT / 'docs' / 'cookbook.md'} from {db}")
