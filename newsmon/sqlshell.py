"""`newsmon sql`: SQL on the published snapshot, one query or an interactive prompt.

Every statement opens the snapshot afresh, so a prompt left open sees each new publication."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TextIO

import duckdb

from newsmon.render import print_table
from warehouse.db import read_connection

MAX_TABLE_ROWS = 1000  # a table on a terminal stops here; csv and json print every row

HELP = """Statements end with ';'. Every statement reads the latest published snapshot (read-only).
  .tables          tables, views and macros, with what each holds
  .schema NAME     the columns of a table or view, with their types and comments
  .help            this text
  .quit            leave (or Ctrl-D)"""

CATALOG_SQL = """
select table_name as name, 'table' as kind, comment from duckdb_tables() where schema_name = 'main' and not temporary
union all
select view_name, 'view', comment from duckdb_views() where schema_name = 'main' and not internal and not temporary
union all
select distinct function_name, replace(function_type, '_', ' '), comment from duckdb_functions()
where schema_name = 'main' and not internal and function_type in ('macro', 'table_macro')
order by kind, name"""

SCHEMA_SQL = """
select column_name as "column", data_type as type, comment from duckdb_columns()
where schema_name = 'main' and table_name = ? order by column_index"""


def execute(db: str | Path, sql: str, fmt: str = "table", out: TextIO | None = None,
            max_rows: int | None = MAX_TABLE_ROWS) -> int:
    """Run `sql` (one or more statements; the last one's rows are printed) on the snapshot; return the
    number of rows printed. duckdb.Error propagates with DuckDB's message."""
    out = out or sys.stdout
    with read_connection(db) as con:
        cur = con.execute(sql)
        if cur.description is None:
            return 0
        columns = [d[0] for d in cur.description]
        limit = max_rows if fmt == "table" and max_rows else None
        rows = cur.fetchmany(limit + 1) if limit else cur.fetchall()
        more = limit is not None and len(rows) > limit
        print_table(columns, rows[:limit] if more else rows, fmt=fmt, out=out)
        if more:
            print(f"(only the first {limit} rows shown: add a limit, or use --format csv for every row)",
                  file=sys.stderr)
        return len(rows)


def _dot_command(db: str | Path, line: str, out: TextIO) -> bool:
    """Handle a .command; False when it asks to leave."""
    word, _, arg = line.partition(" ")
    if word in (".quit", ".exit"):
        return False
    if word == ".tables":
        execute(db, CATALOG_SQL, out=out, max_rows=None)
    elif word == ".schema" and arg.strip():
        with read_connection(db) as con:
            rows = con.execute(SCHEMA_SQL, [arg.strip()]).fetchall()
        if not rows:
            print(f"no table or view named {arg.strip()!r}: .tables lists them", file=out)
        else:
            print_table(["column", "type", "comment"], rows, fmt="table", out=out)
    else:
        print(HELP, file=out)
    return True


def shell(db: str | Path, fmt: str = "table", out: TextIO | None = None) -> int:
    """An interactive prompt on a terminal (statements end with ';'); returns the number that failed."""
    out = out or sys.stdout
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (line editing and history for input())
    print(f"newsmon sql on the published snapshot of {db} (read-only). .help for help, .quit to leave.", file=out)
    failed, pending = 0, list[str]()
    while True:
        try:
            line = input("newsmon> " if not pending else "     ...> ")
        except EOFError:
            print(file=out)
            break
        except KeyboardInterrupt:  # drops the statement being typed, as psql does
            print(file=out)
            pending = []
            continue
        stripped = line.strip()
        if not pending and stripped.startswith("."):
            if not _dot_command(db, stripped, out):
                break
            continue
        if stripped:
            pending.append(line)
        if stripped.endswith(";"):
            failed += _run_one(db, "\n".join(pending), fmt, out)
            pending = []
    return failed


def _run_one(db: str | Path, sql: str, fmt: str, out: TextIO) -> int:
    try:
        execute(db, sql, fmt, out)
        return 0
    except (duckdb.Error, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
