"""A batch that lost a file (or the whole folder) between relate and load is refused, naming the file, and
nothing is written; the next run stores everything (nothing lost for good behind a 304). A run killed
after its load committed but before its checks has that load checked (and published) by the next run
before anything else."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from core import storage
from newsmon.pipeline import run_cycle
from tests.conftest import make_settings, read_rows, write_config
from tests.faults.test_killed_run import newsmon_run
from warehouse.batch import SCHEMAS


def counts(db) -> tuple:
    return read_rows(db, "select (select count(*) from articles), (select count(*) from mentions), (select "
                         "count(*) from article_entities), (select count(*) from urls where state = 'stored')")[0]


def losing(monkeypatch, lose) -> list:  # type: ignore[no-untyped-def]
    """Make the next run's relate stage lose part of its batch (`lose(batch)`), once."""
    import newsmon.stage

    relate, lost = newsmon.stage.relate, []

    def relate_then_lose(*args, **kwargs):  # type: ignore[no-untyped-def]
        batch = relate(*args, **kwargs)
        if not lost:
            lose(batch)
            lost.append(str(batch))
        return batch

    monkeypatch.setattr(newsmon.stage, "relate", relate_then_lose)
    return lost


def remove_file(name: str):  # type: ignore[no-untyped-def]
    return lambda batch: storage.at(batch).joinpath(name).unlink()


def remove_folder(batch) -> None:  # type: ignore[no-untyped-def]
    storage.rmtree(storage.at(batch))


CASES = {f"{name}.parquet": remove_file(f"{name}.parquet") for name in SCHEMAS} | {
    "the whole batch": remove_folder, "the manifest": remove_file(storage.MANIFEST)}


@pytest.mark.parametrize("lost", list(CASES))
def test_a_lost_batch_file_fails_the_run_and_the_next_run_stores_everything(lost, tmp_path, site, sample_db,
                                                                          monkeypatch):
    settings = make_settings(tmp_path, site)
    gone = losing(monkeypatch, CASES[lost])
    with pytest.raises(storage.IncompleteFolder) as refused:
        run_cycle(settings)
    where = lost if lost.endswith(".parquet") else ("_manifest.json" if lost == "the manifest" else "batch")
    assert where in str(refused.value) and gone
    assert not Path(settings.db).exists() or counts(settings.db) == (0, 0, 0, 0)  # nothing was loaded
    run_cycle(settings)  # the next run: nothing was committed, so every page is fetched and stored again
    assert counts(settings.db) == counts(sample_db)


@pytest.mark.parametrize("lost", ["mentions.parquet", "the whole batch"])
def test_the_same_on_object_storage(lost, s3, tmp_path, site, sample_db, monkeypatch):
    _, url = s3
    settings = make_settings(tmp_path, site, data_dir=url + "/data")
    losing(monkeypatch, CASES[lost])
    with pytest.raises(storage.IncompleteFolder, match="mentions.parquet is missing" if "." in lost else "batch"):
        run_cycle(settings)
    run_cycle(settings)
    assert counts(settings.db) == counts(sample_db)


def test_a_run_killed_after_its_load_has_the_load_checked_and_published_by_the_next(tmp_path, site):
    settings = make_settings(tmp_path, site)
    config = write_config(tmp_path / "newsmon.toml", settings)
    code, err = newsmon_run(config, kill_at="checks")  # the load committed; no check, no publish
    assert code == -signal.SIGKILL, err
    killed = read_rows(settings.db, "select run_id from load_log")[0][0]
    assert read_rows(settings.db, "select count(*) from publications") == [(0,)]
    assert not Path(str(settings.db).replace(".duckdb", ".snapshot.duckdb")).exists()
    code, err = newsmon_run(config)
    assert code == 0, err
    assert f"the load of run {killed} was never published" in err and "passed the data checks" in err
    assert read_rows(settings.db, "select run_id from publications order by published_at")[0] == (killed,)
