"""The day an article counts on (config key trend_day, migration 0011): the publisher's stated day by default,
the UTC day on request; a changed setting moves every article and rebuilds the marts, once."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest
from pydantic import ValidationError

from core.config import Settings
from newsmon.stage import load_batch
from tests.conftest import read_rows
from tests.warehouse.test_warehouse import T0, batch, mention, person
from tests.warehouse.undo import undo_0013
from warehouse.db import publish

# Published at 07:00 in Tokyo on 15 February: 22:00 UTC on the 14th.
TOKYO = {"article_id": "tk", "url": "http://n.example/tk", "canonical_url": "http://n.example/tk",
         "title": "Xi visits", "authors": [], "published_at": datetime(2020, 2, 14, 22, 0),
         "published_day": date(2020, 2, 15), "published_offset_min": 540, "fetched_at": T0,
         "text": "Xi Jinping spoke.", "word_count": 3, "relation": "seed", "hops": 0, "raw_sha256": "e" * 64}
# No date on the page: counted on its fetch day under either setting.
UNDATED = {**TOKYO, "article_id": "nd", "url": "http://n.example/nd", "canonical_url": "http://n.example/nd",
           "published_at": None, "published_day": None, "published_offset_min": None, "raw_sha256": "d" * 64}


def tokyo_batch(tmp_path, name="b1"):
    return batch(tmp_path, name, [TOKYO, UNDATED],
                 [mention("tk", "exi", "Xi Jinping", 0), mention("nd", "exi", "Xi Jinping", 0)],
                 [person("exi", "Xi Jinping")], [])


def days(db):
    return (read_rows(db, "select article_id, trend_day from articles order by 1"),
            read_rows(db, "select day, articles from entity_daily_mart order by 1"),
            read_rows(db, "select first_day, last_day from entity_totals"),
            read_rows(db, "select value from warehouse_settings where key = 'trend_day'")[0][0])


def test_articles_count_on_the_day_their_publisher_states_by_default(tmp_path):
    db = tmp_path / "w.duckdb"
    load_batch(db, tokyo_batch(tmp_path))
    articles, mart, totals, setting = days(db)
    assert setting == "stated"
    assert articles == [("nd", T0.date()), ("tk", date(2020, 2, 15))]
    assert mart == [(date(2020, 2, 15), 1), (T0.date(), 1)]
    assert totals == [(date(2020, 2, 15), T0.date())]
    # every view that counts by day agrees with the mart
    assert read_rows(db, "select day, articles from entity_daily order by 1") == mart
    assert (date(2020, 2, 15), 1) in read_rows(db, "select day, articles from articles_daily order by 1")


def test_switching_to_utc_days_moves_every_article_and_rebuilds_the_marts(tmp_path):
    db = tmp_path / "w.duckdb"
    load_batch(db, tokyo_batch(tmp_path))
    # the next load, with trend_day = "utc", brings no article of the earlier day: it moves all the same
    load_batch(db, batch(tmp_path, "b2", [], [], [], []), trend_day="utc")
    articles, mart, totals, setting = days(db)
    assert setting == "utc"
    assert articles == [("nd", T0.date()), ("tk", date(2020, 2, 14))]
    assert mart == [(date(2020, 2, 14), 1), (T0.date(), 1)]  # nothing left on the 15th
    assert totals == [(date(2020, 2, 14), T0.date())]
    assert read_rows(db, "select day, articles from entity_daily order by 1") == mart
    load_batch(db, tokyo_batch(tmp_path, "b3"), trend_day="utc")  # the same setting again: loads as usual
    assert days(db)[:3] == (articles, mart, totals)
    load_batch(db, batch(tmp_path, "b4", [], [], [], []), trend_day="stated")  # and back
    assert days(db)[1] == [(date(2020, 2, 15), 1), (T0.date(), 1)]


def test_an_unknown_trend_day_is_refused_by_the_config_and_the_load(tmp_path):
    with pytest.raises(ValidationError, match="trend_day"):
        Settings(seeds=["http://n.example/"], trend_day="local")
    with pytest.raises(ValueError, match="trend_day must be one of stated, utc"):
        load_batch(tmp_path / "w.duckdb", tokyo_batch(tmp_path), trend_day="local")


def test_a_version_10_warehouse_gets_stated_days_and_rebuilt_marts(tmp_path):
    """Upgrading: the articles already stored move to their stated day, and the marts follow."""
    db = tmp_path / "old.duckdb"
    load_batch(db, tokyo_batch(tmp_path))  # then undo what 0011 and 0012 did, as if loaded at version 10
    con = duckdb.connect(str(db))
    undo_0013(con)
    con.execute("delete from schema_migrations where version >= 11")
    con.execute("drop table duplicate_bands")
    con.execute("drop table story_keys")
    con.execute("alter table article_signatures drop column article_at")
    con.execute("drop table warehouse_settings cascade")
    con.execute("drop macro trend_day_of")
    con.execute("alter table articles drop column trend_day")
    con.execute("update entity_daily_mart set day = '2020-02-14' where day = '2020-02-15'")
    con.close()
    load_batch(db, batch(tmp_path, "b2", [], [], [], []))  # migrates first
    publish(db)
    articles, mart, _, setting = days(db)
    assert setting == "stated" and ("tk", date(2020, 2, 15)) in articles
    assert mart == [(date(2020, 2, 15), 1), (T0.date(), 1)]
