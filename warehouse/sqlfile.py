"""SQL files of named statements (`-- name: X` before each), run one by one with their own parameters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources.abc import Traversable

import duckdb

_NAME = re.compile(r"^-- name: (\w+)\s*$", re.M)
_PARAM = re.compile(r"\$(\w+)")


def named_statements(sql_file: Traversable) -> list[tuple[str, str]]:
    """(name, sql) pairs of a file where each statement follows a `-- name: X` line."""
    parts = _NAME.split(sql_file.read_text(encoding="utf-8"))
    return [(parts[i], parts[i + 1].strip().rstrip(";")) for i in range(1, len(parts), 2)]


def params_for(sql: str, params: dict) -> dict:
    """The parameters a statement uses (DuckDB refuses unused named parameters)."""
    return {name: params[name] for name in dict.fromkeys(_PARAM.findall(sql))}


@contextmanager
def statement(file_name: str, name: str) -> Iterator[None]:
    """A DuckDB error raised inside names the file and statement it came from ("load.sql [batch_before]: ...")."""
    try:
        yield
    except duckdb.Error as exc:
        raise type(exc)(f"{file_name} [{name}]: {exc}") from exc


def run_named(con: duckdb.DuckDBPyConnection, sql_file: Traversable, params: dict) -> None:
    """Execute every statement of the file in order, each with the parameters it names."""
    for name, sql in named_statements(sql_file):
        with statement(sql_file.name, name):
            con.execute(sql, params_for(sql, params))
