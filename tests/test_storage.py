"""data_dir as an fsspec URL: the same stages on a local folder and on a real S3 server (moto, 127.0.0.1)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import storage
from core.config import ConfigError, load_settings
from extract.rawstore import CorruptRaw, RawStore
from tests.conftest import make_settings, read_rows


def test_a_local_path_and_a_file_url_are_the_same_local_folder(tmp_path):
    for location in (tmp_path / "data", str(tmp_path / "data"), f"file://{tmp_path}/data"):
        path = storage.at(location)
        assert storage.is_local(path) and Path(path) == tmp_path / "data"


@pytest.mark.parametrize("where", ["local", "s3"])
def test_files_are_written_whole_listed_moved_and_removed(where, tmp_path, request):
    root = storage.at(tmp_path / "d") if where == "local" else storage.at(request.getfixturevalue("s3")[1] + "/d")
    target = root / "staging" / "run-1" / "fetched" / "r1-0000.jsonl"
    storage.write_text(target, '{"url": "x"}\n')
    assert storage.at(str(target)).read_text(encoding="utf-8") == '{"url": "x"}\n'  # as another task opens it
    storage.write_bytes(root / "staging" / "run-1" / "fetched" / "r1-0001.jsonl", b"")
    assert [p.name for p in storage.files_under(root / "staging", "*/fetched/*.jsonl")] == \
        ["r1-0000.jsonl", "r1-0001.jsonl"]
    assert storage.files_under(root / "absent", "*") == []
    assert abs(storage.mtime(root / "staging" / "run-1") - time.time()) < 120
    storage.move(target, target.with_suffix(".moved"))
    assert not target.exists() and target.with_suffix(".moved").exists()
    storage.rmtree(root / "staging")
    assert not (root / "staging" / "run-1" / "fetched" / "r1-0001.jsonl").exists()
    storage.rmtree(root / "staging")  # absent: nothing to do


def test_raw_store_on_s3_puts_once_reads_back_and_quarantines(s3):
    server, url = s3
    store = RawStore(url + "/newsmon")
    sha = store.put(b"<html>harbour</html>")
    assert store.put(b"<html>harbour</html>") == sha and store.has(sha)
    assert store.get(sha) == b"<html>harbour</html>"
    bucket = url.removeprefix("s3://")
    assert server.keys(bucket) == [f"newsmon/raw/{sha[:2]}/{sha}.gz"]
    storage.write_bytes(store.path(sha), b"not gzip")
    with pytest.raises(CorruptRaw):
        store.get(sha)
    store.quarantine(sha)
    assert not store.has(sha) and server.keys(bucket) == [f"newsmon/raw/{sha[:2]}/{sha}.gz.corrupt"]


def count_s3_calls(monkeypatch) -> list[str]:
    """The S3 API calls made from now on in this test, by name, as s3fs makes them."""
    import s3fs.core

    calls: list[str] = []
    original = s3fs.core.S3FileSystem._call_s3

    async def counted(self, method, *args, **kwargs):
        calls.append(method)
        return await original(self, method, *args, **kwargs)

    monkeypatch.setattr(s3fs.core.S3FileSystem, "_call_s3", counted)
    return calls


def test_reading_a_kept_body_on_s3_is_one_request(s3, monkeypatch):
    _, url = s3
    store = RawStore(url + "/newsmon")
    sha = store.put(b"<html>harbour</html>")
    calls = count_s3_calls(monkeypatch)
    assert store.get(sha) == b"<html>harbour</html>"
    assert calls == ["get_object"]  # no HEAD for its size first
    with pytest.raises(FileNotFoundError):
        store.get("0" * 64)


def test_a_runs_seen_files_are_read_once_per_process(s3, monkeypatch, tmp_path):
    from core.config import Settings
    from extract.crawl import _RunFiles

    _, url = s3
    settings = Settings(seeds=["https://example.org/a"], db=tmp_path / "w.duckdb", data_dir=url + "/newsmon")
    files = _RunFiles(settings, "run-1")
    storage.write_text(files.dir / "known.txt", "https://example.org/a\n")
    files.add_seen(["https://example.org/b"])
    other = _RunFiles(settings, "run-1")  # as another process would: its seen file is new to this one
    storage.write_text(other.dir / "seen" / "x.txt", "https://example.org/c\n")
    calls = count_s3_calls(monkeypatch)
    want = {f"https://example.org/{p}" for p in "abc"}
    assert files.seen() == want
    assert calls.count("get_object") == 2  # known.txt and the other process's file; its own it wrote
    calls.clear()
    assert files.seen() == want and calls.count("get_object") == 0
    storage.write_text(other.dir / "seen" / "y.txt", "https://example.org/d\n")
    calls.clear()
    assert files.seen() == want | {"https://example.org/d"} and calls.count("get_object") == 1
    assert _RunFiles(settings, "run-2").seen() == set()  # another run: none of run-1's URLs


def test_a_held_folder_reads_back_what_this_process_wrote_without_a_request(s3, monkeypatch, tmp_path):
    _, url = s3
    run = storage.at(url + "/newsmon/staging/run-1")
    outside = storage.at(url + "/newsmon/other.txt")
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "rows.parquet").write_bytes(b"PAR1 rows")
    with storage.held(run):
        storage.write_text(run / "budget.json", "{}")
        storage.write_text(outside, "not held")
        storage.finish_folder(batch, run / "batch")
        calls = count_s3_calls(monkeypatch)
        assert storage.read_text(run / "budget.json") == "{}"
        with storage.local_folder(run / "batch") as local:
            assert (local / "rows.parquet").read_bytes() == b"PAR1 rows"
        assert calls == ["list_objects_v2"]  # one listing: the files are still there (else fetched, and refused)
        calls.clear()
        assert storage.read_text(outside) == "not held" and calls == ["get_object"]
        storage.rmtree(run / "batch")  # removed: forgotten, and read from the store again
        calls.clear()
        with pytest.raises(storage.IncompleteFolder), storage.local_folder(run / "batch"):
            pass
        assert calls
    calls.clear()
    assert storage.read_text(run / "budget.json") == "{}" and calls == ["get_object"]  # the block ended


def test_a_held_folder_keeps_at_most_its_cap_in_memory(s3, monkeypatch):
    _, url = s3
    run = storage.at(url + "/newsmon/staging/run-2")
    monkeypatch.setattr(storage, "HELD_MAX_BYTES", 10)
    with storage.held(run):
        storage.write_bytes(run / "a", b"12345678")
        storage.write_bytes(run / "b", b"12345678")  # over the cap: written, not kept
        storage.write_bytes(run / "a", b"1234")  # the newer bytes replace the older
        assert storage.recall(run / "a") == b"1234" and storage.recall(run / "b") is None
        assert storage.read_bytes(run / "b") == b"12345678"


def test_a_cycle_with_data_dir_on_s3_gives_the_rows_of_a_local_one(s3, site, tmp_path):
    from newsmon.pipeline import run_cycle

    server, url = s3
    on_s3 = make_settings(tmp_path / "s3", site, data_dir=url + "/newsmon")
    local = make_settings(tmp_path / "local", site)
    for settings in (on_s3, local):
        run_cycle(settings)
    for sql in ("select article_id, title, story_id is not null from articles order by 1",
                "select url, state, detail from urls order by 1",
                "select entity_id, name from entities order by 1"):
        assert read_rows(on_s3.db, sql) == read_rows(local.db, sql)
    keys = server.keys(url.removeprefix("s3://"))
    assert keys and all(k.startswith("newsmon/raw/") for k in keys)  # staging removed after the good run
    assert not (tmp_path / "s3" / "data").exists()  # nothing went to a local data folder


def test_a_batch_without_its_manifest_is_refused(s3, tmp_path):
    from newsmon.stage import load_batch
    from warehouse.batch import BatchWriter

    _, url = s3
    writer = BatchWriter(url + "/staging/run/batch")
    writer.add("urls", {"url": "https://example.test/a", "state": "failed"})
    batch = writer.close()
    listed = json.loads((batch / storage.MANIFEST).read_text())["urls.parquet"]
    assert listed["bytes"] > 0 and listed["rows"] == 1 and len(listed["sha256"]) == 64
    (batch / storage.MANIFEST).unlink()  # as if the writer died before its last write
    with pytest.raises(storage.IncompleteFolder, match="did not finish"):
        load_batch(tmp_path / "w.duckdb", str(batch))


KILLED_WRITER = """
import os, sys
from core import storage
print("writing", flush=True)
storage.write_bytes(storage.at(sys.argv[1]), os.urandom(1024) * 300_000)
print("done", flush=True)
"""


def test_a_writer_killed_mid_upload_leaves_no_object(s3):
    server, url = s3
    target = url + "/newsmon/raw/ab/big.gz"
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, target], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, **server.env}, cwd=Path(__file__).resolve().parents[1])
    assert child.stdout.readline().strip() == "writing"
    time.sleep(1.0)
    assert child.poll() is None, "the 300 MB upload finished before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert server.keys(url.removeprefix("s3://")) == []
    assert not storage.at(target).exists()


def test_config_refuses_credentials_in_the_url_and_unknown_schemes(tmp_path):
    for data_dir, message in (("s3://AKIA:secret@bucket/x", "credentials do not belong"),
                              ("nosuch://bucket/x", "unknown storage scheme")):
        path = tmp_path / "c.toml"
        path.write_text(f'seeds = ["https://example.test/a"]\ndata_dir = "{data_dir}"\n', encoding="utf-8")
        with pytest.raises(ConfigError, match=message) as err:
            load_settings(path)
        assert "secret" not in str(err.value)


def test_storage_options_from_the_environment_and_an_airflow_connection(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    assert storage.storage_options("s3://b/x") == {"endpoint_url": "http://127.0.0.1:9"}
    assert storage.storage_options("/var/data") == {}
    monkeypatch.setenv(storage.CONN_ENV, "newsmon_storage")
    monkeypatch.setenv("AIRFLOW_CONN_NEWSMON_STORAGE", json.dumps({
        "conn_type": "aws", "login": "key-id", "password": "key-secret",
        "extra": {"endpoint_url": "http://127.0.0.1:7"}}))
    assert storage.storage_options("s3://b/x") == {"endpoint_url": "http://127.0.0.1:7", "key": "key-id",
                                                   "secret": "key-secret"}


@pytest.mark.parametrize("where", ["local", "s3"])
def test_files_with_mtime_lists_once_with_times(where, tmp_path, request):
    root = storage.at(tmp_path / "d") if where == "local" else storage.at(request.getfixturevalue("s3")[1] + "/d")
    for name in ("ab/1.gz", "ab/2.gz", "cd/3.gz", "cd/skip.txt"):
        storage.write_bytes(root / "raw" / name, b"x")
    listed = storage.files_with_mtime(root / "raw", "*/*.gz")
    assert [p.name for p, _ in listed] == ["1.gz", "2.gz", "3.gz"]
    assert all(abs(t - time.time()) < 120 for _, t in listed)
    assert storage.files_with_mtime(root / "absent", "*/*.gz") == []
