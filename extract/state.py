"""What the crawler remembers about URLs between runs (validators, raw hash, last state), per host.

One JSON file per host under data_dir/state/hosts: the fetch task that owns a host's shard is the only
writer of that host's file while fetching, so parallel fetch tasks never share a file."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from extract.canonical import host_of


def _host_file(data_dir: Path, host: str) -> Path:
    return Path(data_dir) / "state" / "hosts" / (re.sub(r"[^A-Za-z0-9_.-]", "_", host) + ".json")


class UrlState:
    """Per-URL memory: etag, last_modified, raw_sha256, final_url, canonical_url, article_id, state."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self._hosts: dict[str, dict[str, dict]] = {}
        self._dirty: set[str] = set()

    def _host(self, host: str) -> dict[str, dict]:
        if host not in self._hosts:
            path = _host_file(self.data_dir, host)
            self._hosts[host] = json.loads(path.read_text("utf-8")) if path.exists() else {}
        return self._hosts[host]

    def get(self, url: str) -> dict:
        return dict(self._host(host_of(url)).get(url, {}))

    def update(self, url: str, **fields: object) -> None:
        host = host_of(url)
        entry = self._host(host).setdefault(url, {})
        entry.update({k: v for k, v in fields.items() if v is not None})
        self._dirty.add(host)

    def save(self) -> None:
        """Write the hosts changed since loading, atomically."""
        for host in sorted(self._dirty):
            path = _host_file(self.data_dir, host)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self._hosts[host], fh, indent=1, sort_keys=True)
            os.replace(tmp, path)
        self._dirty.clear()
