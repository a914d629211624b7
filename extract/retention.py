"""Bounded disk use: staging folders of finished runs removed, raw bodies nothing refers to collected."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from core import storage
from core.staging import staging_dir
from extract.rawstore import RawStore

if TYPE_CHECKING:
    from core.config import Settings

FAILED_MARK = "FAILED"


def finish_run(settings: Settings, run_id: str, ok: bool, stale_s: float = 3600.0) -> list[str]:
    """Remove a good run's staging folder; keep a failed one (marked) for diagnosis. Of the failed or
    abandoned folders (unmarked and untouched for `stale_s`), keep the newest `keep_failed_runs`.
    Returns the folders removed."""
    folder = staging_dir(settings, run_id)
    removed = []
    if ok and folder.exists():
        storage.rmtree(folder)
        removed.append(str(folder))
    elif folder.exists():
        storage.write_text(folder / FAILED_MARK, "this run failed; kept for diagnosis\n")
    root = storage.at(settings.data_dir) / "staging"
    cutoff = time.time() - stale_s
    runs = [p for p in (root.iterdir() if root.exists() else []) if p.is_dir()]
    leftovers = [(storage.mtime(p), p) for p in runs]
    leftovers = [(t, p) for t, p in leftovers if (p / FAILED_MARK).exists() or t < cutoff]
    leftovers.sort(key=lambda tp: tp[0], reverse=True)
    for _, old in leftovers[settings.keep_failed_runs:]:
        storage.rmtree(old)
        removed.append(str(old))
    return removed


def collect_raw(settings: Settings, referenced: Callable[[Iterable[str]], set[str]],
                now: float | None = None) -> int:
    """Delete raw bodies older than `raw_retention_days` that `referenced` (a lookup in the warehouse)
    does not name; return how many. Only old files are looked up, so the cost follows what expires."""
    store = RawStore(settings.data_dir)
    cutoff = (now or time.time()) - settings.raw_retention_days * 86400
    old = {p.name.removesuffix(".gz"): p for p, mtime in storage.files_with_mtime(store.root, "*/*.gz")
           if mtime < cutoff}
    if not old:
        return 0
    keep = referenced(old)
    for sha, path in old.items():
        if sha not in keep:
            path.unlink(missing_ok=True)
    return len(old) - len(keep & old.keys())
