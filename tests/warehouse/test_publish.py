"""Publishing: two generations of the readers' copy behind the snapshot link; a publish rewrites only the
changed blocks of the generation it brings up to date, byte for byte the warehouse, unless a reader still
has that generation open or an earlier publish of it was interrupted (then a whole copy, as a new file)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from bench.synthetic import bulk_load, generate
from warehouse.db import HEADER_BYTES, generation_path, publish, read_connection, snapshot_path, sums_path

ROOT = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """A warehouse of 20,000 synthetic articles (about 50 MB)."""
    work = tmp_path_factory.mktemp("publish")
    generate(work / "batch", 20_000, 10)
    bulk_load(work / "newsmon.duckdb", work / "batch")
    return work / "newsmon.duckdb"


def copy_of(db: Path, tmp_path: Path) -> Path:
    out = tmp_path / "newsmon.duckdb"
    out.write_bytes(db.read_bytes())
    return out


def add_articles(db: Path, tmp_path: Path, first: int, n: int = 200) -> None:
    generate(tmp_path / f"b{first}", n, 10, first=first, start="2025-01-01", span_minutes=60)
    bulk_load(db, tmp_path / f"b{first}")


def count(db: Path) -> int:
    with read_connection(db) as con:
        return con.execute("select count(*) from articles").fetchone()[0]


def test_publishes_alternate_generations_and_write_only_what_changed(big, tmp_path):
    db = copy_of(big, tmp_path)
    first, second = publish(db), publish(db)
    assert first.copied_whole and second.copied_whole  # neither generation existed yet
    assert {first.generation, second.generation} == {generation_path(db, 0), generation_path(db, 1)}
    add_articles(db, tmp_path, 20_000)
    third = publish(db, "r3")
    link = snapshot_path(db)
    assert link.is_symlink() and link.resolve() == third.generation == first.generation
    assert not third.copied_whole
    assert third.bytes_written < db.stat().st_size / 3, third  # the blocks the load changed, not the file
    assert digest(third.generation) == digest(db)
    assert oct(third.generation.stat().st_mode & 0o777) == "0o640"
    assert count(db) == 20_200
    with read_connection(db) as con:
        assert con.execute("select run_id from publications order by published_at desc limit 1").fetchone() == ("r3",)
    add_articles(db, tmp_path, 30_000)
    fourth = publish(db)
    assert fourth.generation == second.generation and not fourth.copied_whole  # two cycles behind: still blocks
    assert digest(fourth.generation) == digest(db) and count(db) == 20_400


READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("select count(*) from articles").fetchone()[0], flush=True)
sys.stdin.readline()  # hold the file open until told
print(con.execute("select count(*) from articles").fetchone()[0], flush=True)
"""


def test_a_generation_a_reader_still_has_open_is_replaced_whole_and_the_reader_keeps_its_view(big, tmp_path):
    db = copy_of(big, tmp_path)
    publish(db)
    publish(db)
    held = snapshot_path(db).resolve()  # the current generation: the publish after next brings it up to date
    reader = subprocess.Popen([sys.executable, "-c", READER, str(held)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "20000"
        add_articles(db, tmp_path, 20_000)
        publish(db)  # the other generation, by blocks
        add_articles(db, tmp_path, 30_000)
        again = publish(db)  # the held one: a whole new file instead
        assert again.copied_whole and again.generation == held
        assert digest(held) == digest(db) and count(db) == 20_400
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "20000"  # its own, unchanged view
    finally:
        reader.kill()
        reader.wait()


def scribble(path: Path, offset: int, keep_mtime: bool) -> None:
    """Overwrite 8 bytes of `path` at `offset` (a block's checksum), its modification time kept or not."""
    before = path.stat()
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(b"scribble")
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_patch_takes_the_generations_checksums_from_the_file_its_last_patch_left(big, tmp_path):
    """A patch leaves the checksums of the generation's blocks beside it (sums_path), and the next patch of
    that generation compares the warehouse's blocks with those instead of reading the generation's. They are
    trusted only while the generation has the size and modification time they were written for."""
    db = copy_of(big, tmp_path)
    publish(db)
    publish(db)  # whole copies: no checksums kept
    assert not sums_path(generation_path(db, 0)).exists() and not sums_path(generation_path(db, 1)).exists()
    for first in (20_000, 30_000):  # each generation patched once, reading its blocks: checksums kept
        add_articles(db, tmp_path, first)
        patched = publish(db)
        assert not patched.copied_whole and sums_path(patched.generation).exists()
    target = generation_path(db, 0)
    block = 262144
    # the generation written behind the publish's back, its time kept: the kept checksums are believed, and the
    # block the warehouse did not change is not compared again (what a reader of the generation never does)
    scribble(target, HEADER_BYTES + 3 * block, keep_mtime=True)
    add_articles(db, tmp_path, 40_000)
    assert publish(db).generation == target
    assert digest(target) != digest(db)
    # written behind its back with the time moved: the checksums are not believed, every block is compared
    add_articles(db, tmp_path, 50_000)
    publish(db)  # the other generation
    scribble(target, HEADER_BYTES + 3 * block, keep_mtime=False)
    add_articles(db, tmp_path, 60_000)
    again = publish(db)
    assert again.generation == target and not again.copied_whole
    assert digest(target) == digest(db)


def test_an_interrupted_publish_is_finished_with_a_whole_copy(big, tmp_path):
    db = copy_of(big, tmp_path)
    publish(db)
    publish(db)
    target = generation_path(db, 0)
    with open(target, "r+b") as f:  # a publish that died half way: some blocks written, the marker left
        f.seek(5 * 262144)
        f.write(b"\0" * 262144)
    target.with_name(target.name + ".partial").touch()
    add_articles(db, tmp_path, 20_000)
    done = publish(db)
    assert done.generation == target and done.copied_whole
    assert digest(target) == digest(db) and not target.with_name(target.name + ".partial").exists()


def test_a_snapshot_published_as_a_plain_file_becomes_the_link(big, tmp_path):
    db = copy_of(big, tmp_path)
    snapshot_path(db).write_bytes(db.read_bytes())  # as publishes before generations left it
    publication = publish(db)
    assert snapshot_path(db).is_symlink() and publication.copied_whole
    assert count(db) == 20_000


def test_readers_never_see_a_generation_being_written(big, tmp_path):
    """A reader polling the snapshot while cycles load and publish sees only whole publications."""
    db = copy_of(big, tmp_path)
    publish(db)
    poller = subprocess.Popen([sys.executable, "-c", POLLER, str(db), str(ROOT)], stdout=subprocess.PIPE, text=True)
    try:
        for i in range(4):
            add_articles(db, tmp_path, 20_000 + 1000 * i)
            publish(db)
        time.sleep(0.5)
    finally:
        poller.terminate()
        out, _ = poller.communicate(timeout=30)
    seen = [int(x) for x in out.split()]
    assert seen and set(seen) <= {20_000 + 200 * i for i in range(5)}, out[-500:]
    assert os.path.exists(snapshot_path(db))


POLLER = """
import sys, time
sys.path.insert(0, sys.argv[2])
from warehouse.db import read_connection
while True:
    with read_connection(sys.argv[1]) as con:
        print(con.execute("select count(*) from articles").fetchone()[0], flush=True)
    time.sleep(0.01)
"""


def test_duckdb_files_are_headers_then_whole_blocks(big):
    """What publishing by blocks relies on: the file is three 4 KiB headers then whole blocks."""
    con = duckdb.connect(str(big), read_only=True)
    block = con.execute("select block_size from pragma_database_size()").fetchone()[0]
    con.close()
    assert (big.stat().st_size - 3 * 4096) % block == 0
