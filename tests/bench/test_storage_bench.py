"""The storage benchmark runs on both media and prints them side by side."""

import re

from bench.storage import bodies, main


def test_bodies_are_distinct_and_about_the_size_asked():
    items = bodies(4, 10)
    assert len(set(items)) == 4 and all(8_000 < len(b) < 14_000 for b in items)


def test_storage_bench_prints_local_and_s3_side_by_side(capsys, monkeypatch):
    for key in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        monkeypatch.setenv(key, "")  # restored (or removed) after the test: main() sets them for its server
        monkeypatch.delenv(key)
    assert main(["--bodies", "6", "--kb", "4", "--cycles", "1"]) == 0
    out = capsys.readouterr().out
    for medium in ("local disk", "S3 (moto server)"):
        assert re.search(rf"^{re.escape(medium)} +\d+ +\d+\.\d +\d+ +\d+\.\d$", out, re.M), out
        assert re.search(rf"^{re.escape(medium)} +\d+\.\d\d +\d+\.\d\d$", out, re.M), out
    assert re.search(r"S3/local: put x\d+\.\d\d, get x\d+\.\d\d", out)
    assert re.search(r"S3/local: first cycle x\d+\.\d\d the time, revisits x\d+\.\d\d", out)
    first = re.search(r"^S3 requests per first cycle: (\d+) \((.+)\)$", out, re.M)
    revisit = re.search(r"^S3 requests per revisit cycle \(mean\): (\d+) \((.+)\)$", out, re.M)
    assert first and revisit, out
    assert int(first.group(1)) > int(revisit.group(1)) > 0  # a revisit fetches little and writes less
    assert "get_object" in revisit.group(2) and "put_object" in first.group(2)
