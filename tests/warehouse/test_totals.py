"""entity_totals kept by difference (warehouse/sql/refresh_days.sql): a load adds what its touched days hold
now and takes away what they held, and reads an entity's other days only when its first or last day moved
off a touched day. Whatever the loads do, the totals are what the marts add up to (data check
entity_totals_match_marts, run on the whole warehouse)."""

from __future__ import annotations

from datetime import date

import pytest

from newsmon.stage import load_batch
from tests.conftest import read_rows
from tests.warehouse.test_warehouse import article, batch, mention, person
from warehouse.checks import DataCheckFailed, run_checks
from warehouse.db import connect
from warehouse.trends import refresh_marts

XI, PUTIN = person("exi", "Xi Jinping"), person("epu", "Vladimir Putin")
TEXT = "Xi Jinping met Vladimir Putin."

# what the marts add up to, per entity: the totals' definition
DEFINED = """
select d.entity_id, d.mentions, d.articles, d.first_day, d.last_day, coalesce(s.articles, 0)
from (select entity_id, sum(mentions) as mentions, sum(articles) as articles, min(day) as first_day,
             max(day) as last_day
      from entity_daily_mart group by entity_id) as d
left join (select entity_id, sum(articles) as articles from entity_salient_mart group by entity_id) as s
    on s.entity_id = d.entity_id
order by 1"""
STORED = ("select entity_id, mentions, articles, first_day, last_day, salient_articles from entity_totals "
          "order by 1")


def load(tmp_path, db, name, days, putin=()):
    """Articles named by their day of June 2022, each naming Xi, and Putin too when its day is in `putin`."""
    arts = [article(f"a{day}", day, TEXT) for day in days]
    ments = [mention(f"a{day}", "exi", "Xi Jinping", 0) for day in days]
    ments += [mention(f"a{day}", "epu", "Vladimir Putin", 15) for day in days if day in putin]
    load_batch(db, batch(tmp_path, name, arts, ments, [XI, PUTIN], []))
    return read_rows(db, STORED)


def moved(tmp_path, db, name, old_day, new_day, putin=False):
    """Article a<old_day> stored again, now published on `new_day` (its day moves)."""
    art = {**article(f"a{old_day}", new_day, TEXT)}
    ments = [mention(f"a{old_day}", "exi", "Xi Jinping", 0)]
    ments += [mention(f"a{old_day}", "epu", "Vladimir Putin", 15)] if putin else []
    load_batch(db, batch(tmp_path, name, [art], ments, [XI, PUTIN], []))
    return read_rows(db, STORED)


def days_of(db, entity_id):
    return read_rows(db, f"select first_day, last_day, articles from entity_totals where entity_id = '{entity_id}'")


def test_totals_follow_loads_that_move_an_entitys_first_and_last_days(tmp_path):
    db = tmp_path / "w.duckdb"
    assert load(tmp_path, db, "b1", [10, 12, 14], putin=[14]) == read_rows(db, DEFINED)
    assert days_of(db, "exi") == [(date(2022, 6, 10), date(2022, 6, 14), 3)]
    # later articles only: the first day is not touched, the last moves up (the usual hourly load)
    assert load(tmp_path, db, "b2", [16, 17]) == read_rows(db, DEFINED)
    assert days_of(db, "exi") == [(date(2022, 6, 10), date(2022, 6, 17), 5)]
    # the first day's only article moves to the 13th: the 10th is touched and no longer holds Xi
    assert moved(tmp_path, db, "b3", 10, 13) == read_rows(db, DEFINED)
    assert days_of(db, "exi") == [(date(2022, 6, 12), date(2022, 6, 17), 5)]
    # the last day's article moves back to the 11th: first and last day both move
    assert moved(tmp_path, db, "b4", 17, 11) == read_rows(db, DEFINED)
    assert days_of(db, "exi") == [(date(2022, 6, 11), date(2022, 6, 16), 5)]
    # Putin's only article no longer names him: he has no totals left
    assert moved(tmp_path, db, "b5", 14, 14, putin=False) == read_rows(db, DEFINED)
    assert days_of(db, "epu") == []
    # and he comes back on a new day
    assert moved(tmp_path, db, "b6", 12, 9, putin=True) == read_rows(db, DEFINED)
    assert days_of(db, "epu") == [(date(2022, 6, 9), date(2022, 6, 9), 1)]
    assert days_of(db, "exi") == [(date(2022, 6, 9), date(2022, 6, 16), 5)]
    run_checks(db)  # the whole warehouse: entity_totals_match_marts among them


def test_the_whole_warehouse_check_finds_totals_that_drifted_from_the_marts(tmp_path):
    db = tmp_path / "w.duckdb"
    folder = tmp_path / "b1"
    load(tmp_path, db, "b1", [10, 12], putin=[12])
    run_checks(db)
    run_checks(db, folder)
    con = connect(db)
    con.execute("update entity_totals set first_day = date '2022-06-11' where entity_id = 'exi'")
    con.close()
    with pytest.raises(DataCheckFailed, match=r"entity_totals_match_marts \(1 rows, e.g. \('exi'"):
        run_checks(db)
    con = connect(db)
    con.execute("delete from entity_totals where entity_id = 'epu'")
    con.close()
    with pytest.raises(DataCheckFailed, match=r"entity_totals_match_marts \(2 rows"):
        run_checks(db)
    run_checks(db, folder)  # a batch's checks leave the totals to the whole warehouse's (see the check)
    refresh_marts(db)  # a rebuild sums them again from the marts
    run_checks(db)
    assert read_rows(db, STORED) == read_rows(db, DEFINED)
