"""bench/stories.py at a small size: the capped placement and the exhaustive one on the same batches."""

import re

from bench.stories import batch, event_agreement, main


def test_stories_bench_places_both_ways_and_they_agree_at_a_small_size(capsys):
    assert main(["--sizes", "600", "1800", "--baseline-max", "1800"]) == 0
    out = capsys.readouterr().out
    row = r"^ +([\d,]+) +\d+\.\d\d +[\d,]+ +\d+\.\d\d +[\d,]+ +x\d+\.\d +(\d\.\d{3}) +(\d\.\d{3}) +(\d\.\d{3})$"
    rows = re.findall(row, out, re.M)
    assert [r[0] for r in rows] == ["600", "1,800"], out
    assert all(r[3] == "1.000" for r in rows), out  # below the caps, the same placement as comparing everything
    assert all(float(r[1]) >= 0.95 for r in rows), out  # an event's articles stay together
    assert "largest batch against smallest" in out


def test_generated_events_are_labelled_by_their_ids():
    docs = batch(50)
    assert len(docs) == 50 and len({d.article_id.split("a")[0] for d in docs}) >= 4
    assert event_agreement({d.article_id: d.article_id.split("a")[0] for d in docs}) == 1.0
