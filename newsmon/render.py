"""Query results on the command line: a rich table on a terminal, plain text when piped, or CSV/JSON."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import TextIO

from rich.console import Console
from rich.table import Table

FORMATS = ("table", "csv", "json")
NUMERIC = {"mentions", "articles", "salience", "recent_articles", "baseline_articles", "recent_mentions",
           "expected_articles", "ratio", "z", "articles_together", "articles_with_other", "articles_with_entity",
           "lift", "pmi", "urls"}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date | datetime) else value


def print_table(columns: Sequence[str], rows: Sequence[Sequence[object]], title: str = "",
                fmt: str = "table", out: TextIO | None = None) -> None:
    """Print rows under their column names in the chosen format."""
    out = out or sys.stdout
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(v) for v in row] for row in rows)
    elif fmt == "json":
        json.dump([{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows], out,
                  default=str)
        out.write("\n")
    elif not out.isatty():
        out.write("\t".join(columns) + "\n")
        for row in rows:
            out.write("\t".join(_cell(v) for v in row) + "\n")
    else:
        table = Table(title=title or None)
        for col in columns:
            table.add_column(col, justify="right" if col in NUMERIC else "left")
        for row in rows:
            table.add_row(*(_cell(v) for v in row))
        Console(file=out).print(table)
