"""Readers keep working while the single writer loads: zero failed reads, zero failed loads, and no
read that starts after a load has ended sees data older than that load."""

import multiprocessing
import time
from datetime import datetime

from warehouse.batch import write_table
from warehouse.db import read_connection
from warehouse.load import load_batch

LOADS = 12


def _batch(folder, i):
    aid = f"a{i:04d}"
    text = "Xi Jinping met Vladimir Putin in Moscow. " * 200  # a few KB per article, so loads take a moment
    write_table(folder, "articles", [{
        "article_id": aid, "url": f"http://n.example/{aid}", "canonical_url": f"http://n.example/{aid}",
        "title": f"Story {i}", "authors": [], "published_at": datetime(2022, 6, 1 + i % 28), "fetched_at":
        datetime(2022, 6, 28), "text": text, "word_count": len(text.split()), "relation": "seed", "hops": 0,
        "raw_sha256": "0" * 64}])
    write_table(folder, "entities", [{"entity_id": "xj", "name": "Xi Jinping", "type": "PERSON",
                                      "first_seen_at": datetime(2022, 6, 28)}])
    write_table(folder, "mentions", [{"article_id": aid, "entity_id": "xj", "surface": "Xi Jinping",
                                      "start_char": 0, "end_char": 10, "label": "PERSON"}])
    return folder


def _writer(db, root, out):
    done = []
    for i in range(LOADS):
        try:
            load_batch(db, _batch(root / f"b{i}", i))
            done.append((time.time(), i + 1, None))
        except Exception as exc:  # recorded, asserted on by the test
            done.append((time.time(), i + 1, repr(exc)))
    out.put(done)


def _reader(db, stop, out):
    reads = []
    while not stop.is_set():
        started = time.time()
        try:
            with read_connection(db) as con:
                n = con.execute("select count(*) from articles").fetchone()[0]
                con.execute("select count(*) from entity_daily").fetchone()
            reads.append((started, n, None))
        except Exception as exc:
            reads.append((started, None, repr(exc)))
    out.put(reads)


def test_reads_and_loads_run_concurrently(tmp_path):
    db = tmp_path / "w.duckdb"
    ctx = multiprocessing.get_context("spawn")
    stop, loads_q, reads_q = ctx.Event(), ctx.Queue(), ctx.Queue()
    readers = [ctx.Process(target=_reader, args=(db, stop, reads_q)) for _ in range(2)]
    load_batch(db, _batch(tmp_path / "b-first", 0))  # the warehouse exists before readers start
    for r in readers:
        r.start()
    writer = ctx.Process(target=_writer, args=(db, tmp_path, loads_q))
    writer.start()
    loads = loads_q.get(timeout=300)
    writer.join(timeout=60)
    time.sleep(0.3)
    stop.set()
    reads = [r for _ in readers for r in reads_q.get(timeout=60)]
    for r in readers:
        r.join(timeout=60)

    assert [err for _, _, err in loads if err] == []
    assert [err for _, _, err in reads if err] == []
    assert len(reads) > 20, "the readers hardly ran"
    for started, seen, _ in reads:
        finished_before = [n for ended, n, _ in loads if ended <= started]
        if finished_before:
            assert seen >= max(finished_before), "a read saw data older than a load that had ended"
    with read_connection(db) as con:
        assert con.execute("select count(*) from articles").fetchone()[0] == LOADS
