"""Near-duplicates: wire copies, syndicated republications and a site's own AMP or print copies.

Each article's main text becomes a set of word 5-shingles (lower-cased `\\w+` tokens), summarised by a
128-permutation MinHash (datasketch). Candidates come from MinHash LSH (datasketch.MinHashLSH, banded
for the threshold); a candidate is a duplicate when the estimated Jaccard similarity of the two shingle
sets reaches `duplicate_threshold` and the two are at most `duplicate_window_days` apart. Duplicates
form groups (connected components); each group's representative is its earliest copy (published, else
fetched, time; then article id) and every other member points at it (`articles.duplicate_of`).

The threshold default was chosen on the dev half of bench/dedup.py's labelled pairs; the bench prints
precision and recall on the other half."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from datasketch import MinHash, MinHashLSH

from core.config import Grouping
from transform.records import Doc

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2's default: 32-bit hash values, stored as they are
SHINGLE = 5
DEFAULT_THRESHOLD = Grouping.duplicate_threshold
_TOKEN = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    """The text's word k-shingles (lower-cased tokens joined by spaces), as bytes for hashing."""
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) < k:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + k]).encode() for i in range(len(tokens) - k + 1)}


def minhash(text: str) -> MinHash | None:
    """The text's MinHash, or None for a text without words."""
    items = shingles(text)
    if not items:
        return None
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    m.update_batch(list(items))
    return m


def signature(text: str) -> bytes | None:
    """The MinHash as stored in `article_signatures.minhash`: NUM_PERM little-endian uint32."""
    m = minhash(text)
    return None if m is None else m.hashvalues.astype("<u4").tobytes()


def from_signature(blob: bytes) -> MinHash:
    """A stored signature back as a MinHash."""
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(blob, dtype="<u4").astype(np.uint32), scheme=SCHEME)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures (share of equal permutation minima)."""
    return float(np.mean(np.frombuffer(a, dtype="<u4") == np.frombuffer(b, dtype="<u4")))


@dataclass
class _Groups:
    parent: dict[str, str] = field(default_factory=dict)

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def near_duplicates(pool: Iterable[Doc], changed: set[str], threshold: float = DEFAULT_THRESHOLD,
                    window_days: float = 7.0) -> dict[str, str | None]:
    """New `duplicate_of` for every article whose group the `changed` articles (new or re-stored) touch.

    `pool` holds the changed articles and every stored article within the window around them, with their
    current duplicate_of. Returns {article_id: representative id, or None for the representative}."""
    docs = {d.article_id: d for d in pool}
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes = {}
    for d in docs.values():
        if d.minhash:
            hashes[d.article_id] = from_signature(d.minhash)
            lsh.insert(d.article_id, hashes[d.article_id])
    groups = _Groups()
    for d in docs.values():  # the groups as stored, except for changed articles, which are judged afresh
        if d.duplicate_of in docs and d.article_id not in changed and d.duplicate_of not in changed:
            groups.union(d.article_id, d.duplicate_of)
    window = timedelta(days=window_days)
    affected = set(changed) | {d.article_id for d in docs.values() if d.duplicate_of in changed}
    for aid in affected:
        if aid not in hashes:
            continue
        for other in lsh.query(hashes[aid]):
            if other == aid or abs(docs[other].at - docs[aid].at) > window:
                continue
            if similarity(docs[aid].minhash or b"", docs[other].minhash or b"") >= threshold:
                groups.union(aid, other)
    members: dict[str, list[str]] = {}
    for aid in docs:
        members.setdefault(groups.find(aid), []).append(aid)
    out: dict[str, str | None] = {}
    for ids in members.values():
        if not affected.intersection(ids) and not any(docs[i].duplicate_of in changed for i in ids):
            continue
        rep = min(ids, key=lambda i: docs[i].order())
        for i in ids:
            out[i] = None if i == rep else rep
    return out
