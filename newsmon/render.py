"""Tables on the terminal: rich when stdout is a terminal, plain tab-separated text when piped."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def print_table(columns: Sequence[str], rows: Sequence[Sequence[object]], title: str = "") -> None:
    """Print rows under their column names."""
    if not sys.stdout.isatty():
        print("\t".join(columns))
        for row in rows:
            print("\t".join(_cell(v) for v in row))
        return
    table = Table(title=title or None)
    for col in columns:
        table.add_column(col, justify="right" if col in ("mentions", "articles") else "left")
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    Console().print(table)
