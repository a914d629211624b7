"""Near-duplicates: wire copies, syndicated republications and a site's own AMP or print copies.

Each article's main text becomes a set of word 5-shingles (lower-cased `\\w+` tokens), summarised by a
128-permutation MinHash. Candidates come from LSH banding (the signature cut into `b` bands of `r` values,
`b` and `r` chosen for the threshold); a candidate is a duplicate when the estimated Jaccard similarity of
the two shingle sets reaches `duplicate_threshold` and the two are at most `duplicate_window_days` apart.
Duplicates form groups (connected components); each group's representative is its earliest copy
(published, else fetched, time; then article id) and every other member points at it
(`articles.duplicate_of`).

The MinHash is datasketch 2's "affine32" scheme with its default seed, written out here (a few lines of
NumPy) because the signatures are stored: a library default that changes (datasketch's did, in 2.0) must
not change what a warehouse holds. tests/transform/test_dedup.py checks the signatures against datasketch's
bit for bit, and the bands against datasketch.MinHashLSH's choice. Not importing datasketch also spares
every process SciPy, which its LSH module loads.

The threshold default was chosen on the dev half of bench/dedup.py's labelled pairs; the bench prints
precision and recall on the other half."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

import numpy as np

from core.config import Grouping
from transform.records import Doc

NUM_PERM = 128
SEED = 1  # datasketch's default seed
SHINGLE = 5
DEFAULT_THRESHOLD = Grouping.duplicate_threshold
_TOKEN = re.compile(r"\w+")


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The NUM_PERM affine permutations h -> a*h + b (mod 2**32, `a` odd), drawn as datasketch 2 draws them."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (a bijection), applied once to each item's hash."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    """The text's word k-shingles (lower-cased tokens joined by spaces), as bytes for hashing."""
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) < k:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + k]).encode() for i in range(len(tokens) - k + 1)}


def minhash(items: Iterable[bytes]) -> np.ndarray | None:
    """The NUM_PERM permutation minima (uint32) of a set of byte strings, or None for an empty set."""
    first4 = b"".join(hashlib.sha1(item).digest()[:4] for item in items)
    if not first4:
        return None
    h = _fmix32(np.frombuffer(first4, dtype="<u4").astype(np.uint32)).reshape(-1, 1)
    a, b = _permutations()
    with np.errstate(over="ignore"):
        return (h * a + b).min(axis=0)


def signature(text: str) -> bytes | None:
    """The text's MinHash as stored in `article_signatures.minhash`: NUM_PERM little-endian uint32, or None
    for a text without words."""
    m = minhash(shingles(text))
    return None if m is None else m.astype("<u4").tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures (share of equal permutation minima)."""
    return float(np.mean(np.frombuffer(a, dtype="<u4") == np.frombuffer(b, dtype="<u4")))


_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(64)  # Gauss-Legendre: exact enough for these polynomials


def _integral(values: np.ndarray, lo: float, hi: float) -> float:
    return float((hi - lo) / 2 * np.dot(_WEIGHTS, values))


@cache
def bands(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(b, r): b bands of r values that minimise the mean of the false positive and false negative
    probability mass for this Jaccard threshold (the choice datasketch.MinHashLSH makes)."""
    below = threshold / 2 * (_NODES + 1)  # nodes on [0, threshold] and on [threshold, 1]
    above = threshold + (1 - threshold) / 2 * (_NODES + 1)
    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = _integral(1 - (1 - below ** r) ** b, 0.0, threshold)
            fn = _integral((1 - above ** r) ** b, threshold, 1.0)
            if fp * 0.5 + fn * 0.5 < best:
                best, opt = fp * 0.5 + fn * 0.5, (b, r)
    return opt


def band_keys(sig: bytes, threshold: float = DEFAULT_THRESHOLD) -> list[bytes]:
    """The signature's LSH band keys: two signatures are candidates when they share one."""
    b, r = bands(threshold)
    width = 4 * r
    return [bytes([i]) + sig[i * width:(i + 1) * width] for i in range(b)]


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
    index: dict[bytes, list[str]] = {}
    for d in docs.values():
        if d.minhash:
            for key in band_keys(d.minhash, threshold):
                index.setdefault(key, []).append(d.article_id)
    groups = _Groups()
    for d in docs.values():  # the groups as stored, except for changed articles, which are judged afresh
        if d.duplicate_of in docs and d.article_id not in changed and d.duplicate_of not in changed:
            groups.union(d.article_id, d.duplicate_of)
    window = timedelta(days=window_days)
    affected = set(changed) | {d.article_id for d in docs.values() if d.duplicate_of in changed}
    for aid in affected:
        sig = docs[aid].minhash if aid in docs else None
        if not sig:
            continue
        candidates = {other for key in band_keys(sig, threshold) for other in index[key]}
        for other in candidates:
            if other == aid or abs(docs[other].at - docs[aid].at) > window:
                continue
            if similarity(sig, docs[other].minhash or b"") >= threshold:
                groups.union(aid, other)
    members: dict[str, list[str]] = {}
    # the articles in a group, and the affected ones: any other is a group alone and unaffected, nothing to write
    for aid in [*groups.parent, *affected.difference(groups.parent)]:
        members.setdefault(groups.find(aid), []).append(aid)
    out: dict[str, str | None] = {}
    for ids in members.values():
        if not affected.intersection(ids) and not any(docs[i].duplicate_of in changed for i in ids):
            continue
        rep = min(ids, key=lambda i: docs[i].order())
        for i in ids:
            out[i] = None if i == rep else rep
    return out
