"""Failures that say where and what to do: a damaged warehouse names its file and offers the readers'
snapshot (`newsmon restore`), after which the next run fetches what the snapshot lacks; object-store
credentials that are missing name data_dir; readers tell a failed publish from no publish at all."""

from __future__ import annotations

import os
from pathlib import Path

from tests.cli.test_cli import newsmon
from tests.conftest import make_settings, read_rows, write_config
from warehouse.db import snapshot_path


def damage(db: Path) -> None:
    """Overwrite 4 kB of every 64 kB of the file past its header (a failing disk, say)."""
    size = db.stat().st_size
    with db.open("r+b") as fh:
        for offset in range(256 * 1024, size, 64 * 1024):
            fh.seek(offset)
            fh.write(os.urandom(4096))


def test_a_damaged_warehouse_is_named_and_restored_from_the_snapshot(tmp_path, site):
    settings = make_settings(tmp_path, site, revisit_after_s=[0.0])
    config = str(write_config(tmp_path / "newsmon.toml", settings))
    assert newsmon("run", "--config", config).returncode == 0
    damage(Path(settings.db))
    broken = newsmon("run", "--config", config)
    assert broken.returncode == 1
    assert f"the warehouse file {settings.db} is damaged" in broken.stderr
    assert "`newsmon restore`" in broken.stderr and str(snapshot_path(settings.db)) in broken.stderr
    restored = newsmon("restore", "--config", config)
    assert restored.returncode == 0, restored.stderr
    assert "passed every data check" in restored.stderr and "damaged-" in restored.stderr
    assert list(tmp_path.glob("newsmon.damaged-*.duckdb"))  # kept aside, not deleted
    again = newsmon("run", "--config", config)
    assert again.returncode == 0, again.stderr
    assert read_rows(settings.db, "select count(*) from articles") == [(8,)]


def test_restore_without_a_snapshot_says_so(tmp_path, site):
    config = str(write_config(tmp_path / "newsmon.toml", make_settings(tmp_path, site)))
    res = newsmon("restore", "--config", config)
    assert res.returncode == 1 and "no readers' snapshot at" in res.stderr


def test_missing_object_store_credentials_name_data_dir(tmp_path, site):
    settings = make_settings(tmp_path, site, data_dir="s3://newsmon-test-bucket/data")
    config = str(write_config(tmp_path / "newsmon.toml", settings))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(HOME=str(tmp_path), AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE=str(tmp_path / "none"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"))
    res = newsmon("run", "--config", config, env=env)
    assert res.returncode == 1
    assert "data_dir s3://newsmon-test-bucket/data: no credentials for the object store" in res.stderr
    assert "AWS_ACCESS_KEY_ID" in res.stderr and "NEWSMON_STORAGE_CONN_ID" in res.stderr


def test_readers_tell_a_failed_publish_from_no_publish(tmp_path, site):
    settings = make_settings(tmp_path, site)
    config = str(write_config(tmp_path / "newsmon.toml", settings))
    assert newsmon("run", "--config", config).returncode == 0
    snapshot_path(settings.db).unlink()  # as if the publish had failed
    res = newsmon("trends", "--config", config)
    assert res.returncode == 1
    assert "its 1 load(s), the last by run manual__" in res.stderr and "have no readers' snapshot" in res.stderr
    assert "no cycle has passed" not in res.stderr
    again = newsmon("run", "--config", config)
    assert again.returncode == 0, again.stderr
    assert "was never published" in again.stderr and snapshot_path(settings.db).exists()
    fresh = tmp_path / "other"
    fresh.mkdir()
    import duckdb

    duckdb.connect(str(fresh / "newsmon.duckdb")).close()
    none = newsmon("trends", "--config", str(write_config(fresh / "newsmon.toml", make_settings(fresh, site))))
    assert "no cycle has passed its data checks" in none.stderr


def test_a_failed_runs_traceback_is_kept_on_request(tmp_path, site):
    """One line by default, with the way to the traceback; --verbose prints it, --log-file keeps it."""
    (tmp_path / "a-file").write_text("not a folder")
    settings = make_settings(tmp_path, site, db=tmp_path / "a-file" / "newsmon.duckdb")
    config = str(write_config(tmp_path / "newsmon.toml", settings))
    plain = newsmon("run", "--config", config)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert "(--verbose or --log-file FILE keeps the traceback)" in plain.stderr
    verbose = newsmon("--verbose", "run", "--config", config)
    assert verbose.returncode == 1 and "Traceback (most recent call last)" in verbose.stderr
    assert "newsmon.pipeline" in verbose.stderr or "pipeline.py" in verbose.stderr
    log = tmp_path / "logs" / "newsmon.log"
    logged = newsmon("--log-file", str(log), "run", "--config", config)
    assert logged.returncode == 1 and "Traceback" not in logged.stderr and f"(traceback in {log})" in logged.stderr
    kept = log.read_text(encoding="utf-8")
    assert "run failed" in kept and "Traceback (most recent call last)" in kept
    assert newsmon("--log-file", str(tmp_path / "a-file" / "x.log"), "run", "--config", config).returncode == 2
