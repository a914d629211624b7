"""The house's layering, read from the imports (ast) of every product file, function-level imports included.

    newsmon/ dags/ dashboard/ bench/      the application: orchestration, CLI, scheduling, what people see
          |            |            |
      extract/     transform/   warehouse/   bytes from the web | pure functions | DuckDB
          \\            |            /        (warehouse may read transform's records, nothing else of it)
                     core/                    the ground: configuration, storage, URLs, frontier policy, staging

Rules: no import circle between files; extract/ and transform/ never import each other; transform/ imports
only core/ (and itself); warehouse/ only core/, itself and transform/records.py; core/ only itself; only
the application (newsmon/, dags/, dashboard/, bench/) imports newsmon/. sample_site/ stands apart."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "extract", "transform", "warehouse", "newsmon", "dags", "dashboard", "bench", "sample_site")
APPLICATION = {"newsmon", "dags", "dashboard", "bench"}
MAY_IMPORT = {
    "core": {"core"},
    "extract": {"core", "extract"},
    "transform": {"core", "transform"},
    "warehouse": {"core", "warehouse", "transform.records"},
    "sample_site": {"sample_site"},
}


def module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def product_files() -> dict[str, Path]:
    return {module_of(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules a file imports (anywhere in it, TYPE_CHECKING blocks included)."""
    out: set[str] = set()
    this = module_of(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [f"{node.module}.{a.name}" for a in node.names]  # a module, or a name in node.module
        for name in names:
            # the longest project module the name is, or is inside
            parts = name.split(".")
            for n in range(len(parts), 0, -1):
                if (candidate := ".".join(parts[:n])) in modules and candidate != this:
                    out.add(candidate)
                    break
    return out


def graph() -> dict[str, set[str]]:
    files = product_files()
    modules = set(files)
    # a package's __init__ that only names the package (no code) is not an import target of its own
    return {m: imports(p, modules) for m, p in files.items()}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def allowed(importer: str, imported: str) -> bool:
    top, target_top = importer.split(".")[0], imported.split(".")[0]
    if target_top == "newsmon" and top not in APPLICATION:
        return False
    rules = MAY_IMPORT.get(top)
    if rules is None:  # the application may import anything below it
        return True
    return any(imported == r or imported.startswith(r + ".") or (r == target_top) for r in rules)


def violations(edges: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} -> {b}" for a, targets in edges.items() for b in targets if not allowed(a, b))


def test_no_import_circle():
    assert circles(graph()) == []


def test_each_package_imports_only_what_lies_below_it():
    assert violations(graph()) == []


def test_the_rules_see_what_they_forbid():
    """The checker itself: a circle, extract <-> transform, warehouse -> transform beyond records and
    a lower package importing the application are all caught."""
    edges = {"extract.crawl": {"transform.stage"}, "transform.stage": {"extract.crawl", "warehouse.batch"},
             "warehouse.grouping": {"transform.dedup", "transform.records", "core.storage"},
             "core.config": {"newsmon.storage"}, "newsmon.cli": {"warehouse.db", "extract.crawl"}}
    assert circles(edges) == [["extract.crawl", "transform.stage"]]
    assert violations(edges) == ["core.config -> newsmon.storage", "extract.crawl -> transform.stage",
                                 "transform.stage -> extract.crawl", "transform.stage -> warehouse.batch",
                                 "warehouse.grouping -> transform.dedup"]


def test_every_product_package_is_read():
    files = product_files()
    assert {m.split(".")[0] for m in files} >= set(PACKAGES) - {"core"} and len(files) > 60
