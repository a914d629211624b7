"""Data checks next to the data (unique keys, not-null columns, accepted labels), run after each load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from warehouse.db import connect

CHECKS_SQL = resources.files("warehouse") / "sql" / "checks.sql"


class DataCheckFailed(Exception):
    """One or more data checks found offending rows."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    failures: int
    sample: list[tuple]


def load_checks() -> list[tuple[str, str]]:
    """(name, sql) pairs from checks.sql, where each query follows a `-- name: X` line."""
    text = CHECKS_SQL.read_text(encoding="utf-8")
    parts = re.split(r"^-- name: (\w+)\s*$", text, flags=re.M)
    return [(parts[i], parts[i + 1].strip().rstrip(";")) for i in range(1, len(parts), 2)]


def run_checks(db_path: str | Path) -> list[CheckResult]:
    """Run every check; raise DataCheckFailed naming the failing ones, else return the results."""
    con = connect(db_path, read_only=True)  # the writer's file itself, not the published snapshot
    try:
        results = []
        for name, sql in load_checks():
            rows = con.execute(sql).fetchall()
            results.append(CheckResult(name, len(rows), rows[:3]))
    finally:
        con.close()
    failed = [r for r in results if r.failures]
    if failed:
        raise DataCheckFailed("data checks failed: " + "; ".join(
            f"{r.name} ({r.failures} rows, e.g. {r.sample[0]})" for r in failed))
    return results
