"""A synthetic warehouse for the benchmarks: bench/trends.py's generated batch (a year of articles, skewed
entity popularity, 40 outlets, linked / feed / search relations), bulk-loaded, then given stories and
near-duplicate copies by rule, and published.

Stories and copies are assigned by rule (eight consecutive articles form a story; one article in twenty
is a copy of the one before), not by newsmon's story placement: placement compares a new article with
every placed article that shares an entity, which stalls at this size (the scale issue). The load is
newsmon's own (warehouse/sql/load.sql, the alias merge, the mart refresh) minus that step."""

from __future__ import annotations

import time
from pathlib import Path

from bench.trends import generate

STORY_SQL = """
update articles set
    story_id = 'a' || lpad(cast(cast(substr(article_id, 2) as bigint) // 8 * 8 as varchar), 9, '0'),
    duplicate_of = case when cast(substr(article_id, 2) as bigint) % 20 = 1
                        then 'a' || lpad(cast(cast(substr(article_id, 2) as bigint) - 1 as varchar), 9, '0') end;
delete from stories;
insert into stories
with members as (
    select
        a.story_id,
        coalesce(a.published_at, a.fetched_at) as at,
        a.duplicate_of,
        outlet(a.site_name, a.canonical_url) as outlet
    from articles as a
),

top as (
    select
        a.story_id,
        list(distinct e.name)[1:3] as names
    from articles as a
    inner join article_entities as ae on ae.article_id = a.article_id and ae.first_char = 0
    inner join entities as e on e.entity_id = ae.entity_id
    group by a.story_id
)

select
    m.story_id,
    min(m.at),
    max(m.at),
    count(*) filter (where m.duplicate_of is null),
    count(*),
    count(distinct m.outlet),
    coalesce(array_to_string(any_value(t.names), ' · '), 'Story ' || m.story_id),
    coalesce(any_value(t.names), [])
from members as m
left join top as t on t.story_id = m.story_id
group by m.story_id;
"""


def bulk_load(db: Path, batch: Path) -> float:
    """Load the batch with newsmon's load SQL, alias merge and mart refresh in one transaction; seconds."""
    from newsmon import storage
    from warehouse.batch import verified_tables
    from warehouse.db import writer
    from warehouse.load import LOAD_SQL, MERGE_SQL, REFRESH_SQL
    from warehouse.sqlfile import run_named

    started = time.perf_counter()
    with storage.local_folder(batch) as local, writer(db) as con:
        con.execute("begin transaction")
        run_named(con, LOAD_SQL, verified_tables(local))
        con.execute(MERGE_SQL.read_text(encoding="utf-8"))
        run_named(con, REFRESH_SQL, {})
        con.execute("commit")
    return time.perf_counter() - started


def add_stories(db: Path) -> None:
    """Stories and copies by rule, then the marts rebuilt so they count each copy group once."""
    from warehouse.db import writer
    from warehouse.trends import rebuild_marts

    with writer(db) as con:
        con.execute("begin transaction")
        con.execute(STORY_SQL)
        rebuild_marts(con)
        con.execute("commit")


def build(work: Path, articles: int, per_article: int = 20, say=print) -> Path:  # type: ignore[no-untyped-def]
    """A published synthetic warehouse of `articles` articles under `work`; returns its path."""
    from warehouse.db import publish

    db = work / "newsmon.duckdb"
    started = time.perf_counter()
    counts = generate(work / "batch", articles, per_article)
    say(f"  generated {counts['articles']:,} articles, {counts['mentions']:,} mentions "
        f"({time.perf_counter() - started:.1f} s)")
    say(f"  loaded in {bulk_load(db, work / 'batch'):.1f} s")
    started = time.perf_counter()
    add_stories(db)
    publish(db)
    say(f"  stories, copies, marts and snapshot in {time.perf_counter() - started:.1f} s "
        f"({db.stat().st_size / 1e9:.2f} GB)")
    return db
