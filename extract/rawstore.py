"""Content-addressed store of raw response bodies, so any load can be redone from the bytes."""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib

from upath import UPath

from core import storage


class CorruptRaw(OSError):
    """A kept raw body that cannot be read back; treated as missing."""


class RawStore:
    """Bodies gzip-compressed under data_dir/raw/ab/<sha256>.gz, named by the SHA-256 of the bytes.
    data_dir is a local path or an fsspec URL (core.storage); each body is written whole or not at all."""

    def __init__(self, data_dir: str | os.PathLike[str]):
        self.root = storage.at(data_dir) / "raw"

    def path(self, sha: str) -> UPath:
        return self.root / sha[:2] / f"{sha}.gz"

    def put(self, body: bytes) -> str:
        """Store `body` (once) and return its SHA-256 hex digest."""
        sha = hashlib.sha256(body).hexdigest()
        target = self.path(sha)
        if not target.exists():  # atomic: concurrent writers of the same bytes are harmless
            storage.write_bytes(target, gzip.compress(body, compresslevel=6, mtime=0))
        return sha

    def get(self, sha: str) -> bytes:
        """The bytes stored under `sha`; FileNotFoundError if absent, CorruptRaw (naming the file) if the
        file does not decompress or its bytes are not the ones it is named for."""
        path = self.path(sha)
        try:
            body = gzip.decompress(storage.read_bytes(path))
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise CorruptRaw(f"raw body {path} is corrupt ({type(exc).__name__}: {exc})") from None
        if hashlib.sha256(body).hexdigest() != sha:
            raise CorruptRaw(f"raw body {path} is corrupt (its bytes do not match its name)")
        return body

    def quarantine(self, sha: str) -> UPath:
        """Move a corrupt body aside (kept for diagnosis as <sha>.gz.corrupt) so it is fetched again."""
        target = self.path(sha).with_suffix(".gz.corrupt")
        storage.move(self.path(sha), target)
        return target

    def has(self, sha: str) -> bool:
        return self.path(sha).exists()
