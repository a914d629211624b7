"""A WAL cut short after a committed load (the process died before the checkpoint, then the disk lost the
tail of the WAL): DuckDB drops the batch, and because the crawl state is in that same batch, the next run
fetches those pages again and stores them; nothing is lost silently."""

from __future__ import annotations

import os
import subprocess
import sys

from sample_site import SampleSite
from tests.conftest import make_settings, read_rows, write_config

DIE_AFTER_COMMIT = """
import os, signal, sys
from contextlib import contextmanager
import warehouse.load
from warehouse.db import connect

@contextmanager
def writer_that_dies(path):
    con = connect(path)
    yield con
    os.kill(os.getpid(), signal.SIGKILL)  # committed, never checkpointed: the batch is only in the WAL

warehouse.load.writer = writer_that_dies
from newsmon.cli import main
sys.argv = ["newsmon", "run", "--config", sys.argv[1]]
main()
"""


def test_a_wal_cut_short_loses_nothing_silently(tmp_path):
    with SampleSite() as site:
        settings = make_settings(tmp_path, site, revisit_after_s=[0.0])
        config = write_config(tmp_path / "newsmon.toml", settings)
        assert subprocess.run([sys.executable, "-m", "newsmon", "run", "--config", str(config)],
                              capture_output=True, timeout=300).returncode == 0
        site.advance()  # a new related article appears
        died = subprocess.run([sys.executable, "-c", DIE_AFTER_COMMIT, str(config)], capture_output=True,
                              text=True, timeout=300, env=os.environ.copy())
        assert died.returncode == -9, died.stderr
        wal = settings.db.with_name(settings.db.name + ".wal")
        assert wal.stat().st_size > 1000
        with wal.open("r+b") as fh:
            fh.truncate(wal.stat().st_size - 200)  # the tail, with the commit, is gone
        dropped = read_rows(settings.db, "select count(*) from articles where canonical_url like '%follow-up-1'")
        assert dropped == [(0,)]  # DuckDB dropped the whole batch: articles and crawl state alike
        again = subprocess.run([sys.executable, "-m", "newsmon", "run", "--config", str(config)],
                               capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    slugs = {u.rsplit("/", 1)[-1] for (u,) in read_rows(settings.db, "select canonical_url from articles")}
    assert "xi-putin-follow-up-1" in slugs  # the dropped batch's article, fetched and stored again
    assert read_rows(settings.db, "select count(*) from urls where url like '%xi-putin-follow-up-1' "
                                  "and state = 'stored'") == [(1,)]
