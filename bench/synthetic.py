"""A synthetic warehouse for the benchmarks: bench/trends.py's generated batch (a year of articles, skewed
entity popularity, 40 outlets, linked / feed / search relations), bulk-loaded, then given stories and
near-duplicate copies by rule, and published.

Stories and copies are assigned by rule (eight consecutive articles form a story; one article in twenty
is a copy of the one before), not by newsmon's story placement: placement compares a new article with
every placed article that shares an entity, which stalls at this size (the scale issue). The load is
newsmon's own (warehouse/sql/load.sql, the alias merge, the mart refresh) minus that step."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

ENTITIES = 50_000
SLICE = 1_000_000  # articles generated and loaded at a time by build()
TYPES = ["PERSON", "ORG", "GPE", "NORP", "LOC"]



def article_id(number: str) -> str:
    """SQL for the id of synthetic article `number` (an SQL expression): 16 hex digits of a hash, like
    newsmon's own ids (newsmon.stage.article_id: SHA-1 of the canonical URL), so that ids of one batch are
    spread over the whole key range as in a real warehouse, not in order as counters would be (DuckDB
    skips row groups by the min and max of a column: ordered ids would make every lookup by id look cheap)."""
    return f"substr(md5('article ' || cast({number} as varchar)), 1, 16)"


NUMBER = "cast(substr(url, 22) as bigint)"  # an article's number, from its URL https://news.example/<number>
STORY_SQL = f"""
update articles set
    story_id = {article_id(f"{NUMBER} // 8 * 8")},
    duplicate_of = case when {NUMBER} % 20 = 1 then {article_id(f"{NUMBER} - 1")} end;
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
        list(distinct e.name order by e.name)[1:3] as names
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


def generate(folder: Path, articles: int, per_article: int, checked_at: str = "2025-01-02", first: int = 0,
             start: str = "2024-01-01", span_minutes: int = 525600, signatures: bool = True,
             year: int | None = None) -> dict[str, int]:
    """Write a staging batch (Parquet, the load's input) of synthetic but trend-shaped data: a year of
    articles (ids from `first`, spread over `span_minutes` from `start`), entity popularity skewed (a few
    entities in many articles), some entities rising late, a signature per article (one article in twenty
    is a copy of the one before: the same signature) and a frontier row per article (checked at
    `checked_at`, next due a week later). It passes the data checks: each mention's offsets point at its
    surface in the text. Without `signatures` the articles have none (then they need no story to pass the
    checks). With `year`, the batch is the slice `first`.. of a year of `year` articles (ids from 0, from
    `start`): times and the late-rising entities follow the year, so slices loaded one after the other make
    the same warehouse as one batch of the year."""
    import duckdb

    from warehouse.db import one

    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    origin, whole = (0, year) if year else (first, articles)
    at = f"timestamp '{start}' + to_minutes(cast((i - {origin}) * {span_minutes} // {whole} as integer))"
    con.execute(f"""
        copy (
            select
                {article_id('i')} as article_id,
                'https://news.example/' || i as url,
                'https://news.example/' || i as canonical_url,
                'Synthetic story ' || i as title,
                ['Desk'] as authors,
                {at} as published_at,
                'meta' as published_source,
                cast({at} as date) as published_day,
                0 as published_offset_min,
                cast(null as timestamp) as modified_at,
                cast(null as varchar) as modified_source,
                timestamp '2025-01-02' as fetched_at,
                'en' as language,
                'Source ' || (i % 40) as site_name,
                repeat(rpad('Entity', 40, ' '), {per_article}) as text,
                {per_article} as word_count,
                case when i % 10 = 3 then 'search' when i % 10 = 7 then 'feed' else 'linked' end as relation,
                case when i % 10 in (3, 7) then null else 1 end as hops,
                case when i % 10 in (3, 7) then 0.5 + (i % 50) / 100.0 end as relevance,
                case when i % 10 = 3 then 'https://api.gdeltproject.org/api/v2/doc/doc?query=x'
                     when i % 10 = 7 then 'https://news.example/feed.xml'
                     else 'https://news.example/' || (i - 1) end as related_via,
                repeat('0', 64) as raw_sha256
            from range({first}, {first + articles}) as t(i)
        ) to '{folder / "articles.parquet"}' (format parquet)""")
    # 512 bytes of MinHash from four MD5s (a copy has its original's); ten keywords shared within a story
    con.execute(f"""
        copy (
            select
                {article_id('i')} as article_id,
                unhex(repeat(md5(s || 'a') || md5(s || 'b') || md5(s || 'c') || md5(s || 'd'), 8)) as minhash,
                list_transform(range(10), lambda k: 'word' || ((i // 8 * 10 + k) % 20000)) as keywords
            from (select i, cast(i - (i % 20 = 1)::int as varchar) as s from range({first}, {first + articles}) as t(i))
            where {signatures}
        ) to '{folder / "article_signatures.parquet"}' (format parquet)""")
    con.execute(f"""
        copy (
            select
                'e' || lpad(cast(i as varchar), 6, '0') as entity_id,
                'Entity ' || i as name,
                {TYPES}[1 + i % 5] as type,
                timestamp '2024-01-01' as first_seen_at,
                cast(null as varchar) as country_code,
                cast(null as bigint) as geonames_id
            from range({ENTITIES}) as t(i)
        ) to '{folder / "entities.parquet"}' (format parquet)""")
    # entity of mention j of article i: skewed towards low ids; entities 100-199 only in the last month
    con.execute(f"""
        create table m as
        with raw as (
            select
                i,
                j,
                (hash(i * 1000 + j) % 1000000) / 1000000.0 as u
            from range({first}, {first + articles}) as a(i), range({per_article}) as b(j)
        )
        select
            {article_id('i')} as article_id,
            'e' || lpad(cast(case when i - {origin} > {whole} * 11 // 12 and j = 0 then 100 + i % 100
                                  else cast(floor({ENTITIES} * u * u * u) as bigint) end as varchar), 6, '0')
                as entity_id,
            j * 40 as start_char
        from raw""")
    con.execute(f"""
        copy (select article_id, entity_id, 'Entity' as surface, start_char, start_char + 6 as end_char,
                     'PERSON' as label from m)
        to '{folder / "mentions.parquet"}' (format parquet)""")
    con.execute(f"""
        copy (select article_id, entity_id, count(*) as mentions, min(start_char) as first_char,
                     min(start_char) = 0 as in_headline,
                     round(0.3 + 0.7 * count(*) / {per_article}, 4) as salience
              from m group by all)
        to '{folder / "article_entities.parquet"}' (format parquet)""")
    con.execute(f"""
        copy (
            select
                'https://news.example/' || i as url,
                'stored' as state,
                cast(null as varchar) as detail,
                200 as http_status,
                'https://news.example/' || i as final_url,
                {article_id('i')} as article_id,
                case when i % 10 = 3 then 'search' when i % 10 = 7 then 'feed' else 'linked' end as relation,
                case when i % 10 in (3, 7) then null else 1 end as hops,
                cast(null as varchar) as discovered_from,
                timestamp '{checked_at}' as first_seen_at,
                timestamp '{checked_at}' as last_checked_at,
                'synthetic' as run_id,
                '"' || i || '"' as etag,
                cast(null as varchar) as last_modified,
                repeat('0', 64) as raw_sha256,
                'text/html' as content_type,
                timestamp '{checked_at}' as last_changed_at,
                timestamp '{checked_at}' + interval 7 days as next_due_at,
                1 as fetches,
                false as is_feed,
                case when i % 10 = 3 then 'gdelt' end as search_provider,
                case when i % 10 = 3 then '"Entity ' || (i % 7) || '" story' end as search_query
            from range({first}, {first + articles}) as t(i)
        ) to '{folder / "urls.parquet"}' (format parquet)""")
    counts = {name: one(con, f"select count(*) from '{folder / (name + '.parquet')}'")[0]
              for name in ("articles", "entities", "mentions", "article_entities", "urls", "article_signatures")}
    con.close()
    from warehouse.batch import seal

    seal(folder)  # the other tables empty, and the manifest the load checks
    return counts


def bulk_load(db: Path, batch: Path, marts: bool = True) -> float:
    """Load the batch with newsmon's load SQL, alias merge, the story keys of every article of the batch (as a
    load writes those of the articles an alias merge touched) and mart refresh (unless not `marts`: build()
    rebuilds them once at the end) in one transaction; seconds."""
    from core import storage
    from warehouse.batch import verified_tables
    from warehouse.db import writer
    from warehouse.grouping import GROUPING_SQL
    from warehouse.load import LOAD_SQL, MERGE_SQL
    from warehouse.sqlfile import named_statements, run_named
    from warehouse.trends import refresh_days

    sql = dict(named_statements(GROUPING_SQL))
    started = time.perf_counter()
    with storage.local_folder(batch) as local, writer(db) as con:
        con.execute("begin transaction")
        run_named(con, LOAD_SQL, verified_tables(local))
        con.execute(MERGE_SQL.read_text(encoding="utf-8"))
        con.execute("create or replace temp table merged_articles as select article_id from read_parquet(?)",
                    [str(local / "articles.parquet")])
        con.execute(sql["merged_delete"])
        con.execute(sql["merged_insert"])
        if marts:
            refresh_days(con, rebuilt=True)  # every day of the batch, in one sorted insert
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


def add_bands(db: Path, bands: int = 25, rows: int = 5) -> None:
    """Every article's near-duplicate band keys, as the loads would have written them."""
    from warehouse.db import writer
    from warehouse.grouping import GROUPING_SQL
    from warehouse.sqlfile import named_statements

    sql = dict(named_statements(GROUPING_SQL))
    with writer(db) as con:
        con.execute("begin transaction")
        con.execute(sql["clear_bands"])
        con.execute(sql["rebuild_bands"], {"bands": bands, "band_width": 4 * rows})
        con.execute("update warehouse_settings set value = ? where key = 'duplicate_bands'", [f"{bands}x{rows}"])
        con.execute("commit")


def as_loads_leave_the_last_month(db: Path) -> None:
    """The marts of the warehouse's last month refreshed one day at a time, as its hourly loads leave them (a
    day's co-occurrence pairs stored apart from the others' until the month closes: warehouse.trends
    close_months); the months before stay in entity order, as their month close left them."""
    from warehouse.db import one, writer
    from warehouse.sqlfile import run_named
    from warehouse.trends import REFRESH_SQL

    with writer(db) as con:
        con.execute("begin transaction")
        last = one(con, "select max(trend_day) from articles")[0]
        first = last.replace(day=1)
        for day in range(1, last.day + 1):
            con.execute("create or replace temp table touched_days as select ?::date as day", [first.replace(day=day)])
            run_named(con, REFRESH_SQL, {})
        con.execute("update warehouse_settings set value = ? where key = 'marts_sorted_before'", [first.isoformat()])
        con.execute("commit")


def build(work: Path, articles: int, per_article: int = 20, say: Callable[[str], None] = print) -> Path:
    """A published synthetic warehouse of `articles` articles under `work`; returns its path."""
    from warehouse.db import publish

    db = work / "newsmon.duckdb"
    for first in range(0, articles, SLICE):  # a slice at a time: generating and loading stay within memory
        started = time.perf_counter()
        batch = work / "batch"
        counts = generate(batch, min(SLICE, articles - first), per_article, first=first, year=articles)
        say(f"  generated {counts['articles']:,} articles from {first:,}, {counts['mentions']:,} mentions "
            f"({time.perf_counter() - started:.1f} s)")
        say(f"  loaded in {bulk_load(db, batch, marts=False):.1f} s")
        shutil.rmtree(batch)
    started = time.perf_counter()
    add_stories(db)
    add_bands(db)
    as_loads_leave_the_last_month(db)
    publish(db)
    say(f"  stories, copies, bands, marts and snapshot in {time.perf_counter() - started:.1f} s "
        f"({db.stat().st_size / 1e9:.2f} GB)")
    return db
