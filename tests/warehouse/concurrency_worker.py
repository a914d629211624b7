"""Writer and reader processes for test_concurrency (run as `python -m tests.warehouse.concurrency_worker`).

Separate interpreters, not multiprocessing, so nothing of the test process (its __main__, its threads)
leaks into them."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path

from newsmon.stage import load_batch
from warehouse.batch import write_table
from warehouse.db import publish, read_connection


def batch(folder: Path, i: int) -> Path:
    aid = f"a{i:04d}"
    text = "Xi Jinping met Vladimir Putin in Moscow. " * 200  # a few KB per article, so loads take a moment
    write_table(folder, "articles", [{
        "article_id": aid, "url": f"http://n.example/{aid}", "canonical_url": f"http://n.example/{aid}",
        "title": f"Story {i}", "authors": [], "published_at": datetime(2022, 6, 1 + i % 28),
        "fetched_at": datetime(2022, 6, 28), "text": text, "word_count": len(text.split()), "relation": "seed",
        "hops": 0, "raw_sha256": "0" * 64}])
    write_table(folder, "entities", [{"entity_id": "xj", "name": "Xi Jinping", "type": "PERSON",
                                      "first_seen_at": datetime(2022, 6, 28)}])
    write_table(folder, "mentions", [{"article_id": aid, "entity_id": "xj", "surface": "Xi Jinping",
                                      "start_char": 0, "end_char": 10, "label": "PERSON"}])
    return folder


def writer(db: Path, root: Path, loads: int, out: Path) -> None:
    done = []
    for i in range(loads):
        try:
            load_batch(db, batch(root / f"b{i}", i))
            publish(db)  # as a cycle does after its checks
            done.append([time.time(), i + 1, None])
        except Exception as exc:  # recorded, asserted on by the test
            done.append([time.time(), i + 1, repr(exc)])
    out.write_text(json.dumps(done), encoding="utf-8")


def reader(db: Path, stop: Path, out: Path) -> None:
    reads = []
    while not stop.exists():
        started = time.time()
        try:
            with read_connection(db) as con:
                n = con.execute("select count(*) from articles").fetchone()[0]
                con.execute("select count(*) from entity_daily").fetchone()
            reads.append([started, n, None])
        except Exception as exc:
            reads.append([started, None, repr(exc)])
    out.write_text(json.dumps(reads), encoding="utf-8")


if __name__ == "__main__":
    role, *args = sys.argv[1:]
    if role == "writer":
        writer(Path(args[0]), Path(args[1]), int(args[2]), Path(args[3]))
    else:
        reader(Path(args[0]), Path(args[1]), Path(args[2]))
