"""bench/trends.py at a small size: the synthetic warehouse loads through the current schema and every
documented query runs on it (a schema change that breaks the generator fails here, not months later). The
targets are for a million articles (bulk against row-by-row need not reach x100 on 2,000), so the verdict is not
asserted, only that every figure is measured."""

import re

from bench.trends import main


def test_trends_bench_loads_and_times_every_query_at_a_small_size(capsys):
    assert main(["--articles", "2000", "--sample", "200"]) in (0, 1)
    out = capsys.readouterr().out
    assert re.search(r"bulk load .*: \d+ rows in \d+\.\d s = [\d,]+ rows/s", out), out
    assert re.search(r"data checks over every row \(\d+ checks, all passed\)", out), out
    for query in ("one entity's daily series", "rising entities (7 vs 28 days)", "co-occurrence for one entity"):
        assert re.search(rf"^{re.escape(query)} +\d+\.\d ms +\d+ ms +[1-9]\d* +(ok|SLOW)$", out, re.M), out
