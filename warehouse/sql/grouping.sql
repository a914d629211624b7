-- Near-duplicates and stories, inside the load's transaction (warehouse/grouping.py): the batch's keys
-- written, the pool of stored articles that may group with the batch, then the new duplicate_of /
-- story_id and the refreshed stories. The pool is read by key, not by window: stored articles sharing an
-- LSH band with the batch (duplicate_bands), their stored copy groups, and per story key of those and day
-- it is wanted on, the placed articles placement would read first (story_keys), so a load reads what its
-- batch touches. Tables with article_at (and articles, by trend_day) are read between bounds computed from
-- the batch, so DuckDB skips the other row groups.
-- Parameters: $articles, $article_signatures, $article_entities (the batch's Parquet files); $bands and
-- $band_width (the LSH layout: bands, bytes per band); $old_lo/$old_hi (the bounds of temp table
-- batch_before: the batch's articles as stored before this load, written by load.sql); $lo/$hi (the
-- duplicate window around the batch), $story_lo/$story_hi (the story window), $all_lo/$all_hi (the wider
-- of the two), and the same as days ($lo_day, $hi_day, ...: a day wider on each side, since an article's
-- trend_day is its stated day, within a day of its UTC time); $story_days (the story window in whole
-- days); $per_key (placed articles read per key and day wanted); $whole_story_window (read every article
-- of the story window: keywords are story keys too).

-- name: delete_bands
delete from duplicate_bands
where article_at between $old_lo and $old_hi
    and article_id in (select article_id from read_parquet($articles));

-- name: insert_bands
insert into duplicate_bands
select
    coalesce(a.published_at, a.fetched_at) as article_at,
    s.article_id,
    cast(b.i as utinyint) as band,
    md5_number_upper(s.minhash[b.i * $band_width + 1:(b.i + 1) * $band_width]) as band_key
from read_parquet($article_signatures) as s
inner join read_parquet($articles) as a on a.article_id = s.article_id
cross join (select range as i from range($bands)) as b
where s.minhash is not null
order by article_at, s.article_id, b.i;

-- name: delete_story_keys
delete from story_keys
where article_at between $old_lo and $old_hi
    and article_id in (select article_id from read_parquet($articles));

-- name: insert_story_keys
-- the batch's top entities (names from the entities table; an entity merged away by this load is
-- missing here, and its articles are keyed again by merged_delete and merged_insert)
insert into story_keys
with ranked as (
    select
        ae.article_id,
        ae.entity_id,
        lower(e.name) as key,
        row_number() over (partition by ae.article_id order by ae.salience desc, e.name) as rank
    from read_parquet($article_entities) as ae
    inner join entities as e on e.entity_id = ae.entity_id
)

select
    coalesce(a.published_at, a.fetched_at) as article_at,
    r.article_id,
    cast(r.rank as utinyint) as rank,
    r.key,
    r.entity_id
from ranked as r
inner join read_parquet($articles) as a on a.article_id = r.article_id
where r.rank <= 8
order by article_at, r.article_id, r.rank;

-- name: merged_delete
-- articles whose entities this load's alias merge changed (temp table merged_articles, merge_aliases.sql;
-- bench/synthetic.py names every article there to key a warehouse written in bulk)
delete from story_keys where article_id in (select article_id from merged_articles);

-- name: merged_insert
insert into story_keys
with ranked as (
    select
        ae.article_id,
        ae.entity_id,
        lower(e.name) as key,
        row_number() over (partition by ae.article_id order by ae.salience desc, e.name) as rank
    from article_entities as ae
    inner join entities as e on e.entity_id = ae.entity_id
    where ae.article_id in (select article_id from merged_articles)
)

select
    coalesce(a.published_at, a.fetched_at) as article_at,
    r.article_id,
    cast(r.rank as utinyint) as rank,
    r.key,
    r.entity_id
from ranked as r
inner join articles as a on a.article_id = r.article_id
where r.rank <= 8
order by article_at, r.article_id, r.rank;

-- name: dup_seeds
-- judged afresh for duplicates: the batch's articles and the stored copies of them
create or replace temp table dup_seeds as
select article_id from read_parquet($articles)
union
select article_id
from articles
where trend_day between $lo_day and $hi_day
    and duplicate_of in (select article_id from read_parquet($articles));

-- name: dup_pool
-- the seeds, the stored articles sharing a band with one, and the stored groups of all of them
create or replace temp table dup_pool as
with seed_bands as (
    select distinct
        band,
        band_key
    from duplicate_bands
    where article_at between $lo and $hi and article_id in (select article_id from dup_seeds)
),

matches as (
    select distinct b.article_id
    from duplicate_bands as b
    semi join seed_bands as s on s.band = b.band and s.band_key = b.band_key
    where b.article_at between $lo and $hi
),

grouped as (
    select article_id from dup_seeds
    union
    select article_id from matches
),

window_articles as (
    select
        article_id,
        duplicate_of
    from articles
    where trend_day between $lo_day and $hi_day
),

reps as (
    select distinct coalesce(a.duplicate_of, a.article_id) as article_id
    from window_articles as a
    semi join grouped as g on g.article_id = a.article_id
)

select article_id from grouped
union
select article_id from reps
union
select a.article_id
from window_articles as a
semi join reps as r on r.article_id = a.duplicate_of;

-- name: wanted_keys
-- the story keys of the pool's articles, with the day each is wanted on
create or replace temp table wanted_keys as
select distinct
    key,
    cast(article_at as date) as day
from story_keys
where article_at between $all_lo and $all_hi and article_id in (select article_id from dup_pool);

-- name: placed_carriers
-- the placed articles (in a story, not a copy) of the story window that carry a wanted key
create or replace temp table placed_carriers as
with carriers as (
    select
        key,
        article_id,
        article_at
    from story_keys
    where article_at between $story_lo and $story_hi and key in (select key from wanted_keys)
)

select c.*
from carriers as c
inner join articles as a on a.article_id = c.article_id
where a.trend_day between $story_lo_day and $story_hi_day
    and a.story_id is not null
    and a.duplicate_of is null;

-- name: key_counts
-- how many placed articles of the story window carry each key (placement reads the rarest keys first)
select
    key,
    count(*) as carrying
from placed_carriers
group by key;

-- name: pool
-- the pool as Docs: the duplicate pool and, per wanted key and day, the $per_key placed carriers placement
-- would read first (nearest days first, the latest first within a day), inside the grouping window (or in
-- the batch); and every article of the story window when keywords are story keys too. Only the duplicate
-- pool's articles carry their signature: the others share no band with the batch, so the judge could not
-- find them near-duplicates (indexing their bands took 4-6 s of its 18-21 s on a pool of 65,000 stored articles)
with nearest as (
    select p.article_id
    from placed_carriers as p
    inner join wanted_keys as w
        on w.key = p.key and abs(date_diff('day', w.day, cast(p.article_at as date))) <= $story_days
    qualify row_number() over (
        partition by w.key, w.day
        order by
            abs(date_diff('day', w.day, cast(p.article_at as date))),
            cast(p.article_at as date) > w.day,
            p.article_at desc,
            p.article_id desc
    ) <= $per_key
),

story_pool as (
    select article_id from nearest
    union
    select article_id
    from article_signatures
    where $whole_story_window and article_at between $story_lo and $story_hi
),

ids as (
    select article_id from dup_pool
    union
    select article_id from story_pool
),

pool as (
    select
        a.rowid as row_id,
        a.trend_day,
        a.article_id,
        coalesce(a.published_at, a.fetched_at) as at,
        a.duplicate_of,
        a.story_id,
        coalesce(a.site_name, regexp_extract(a.canonical_url, '^https?://([^/]+)', 1)) as site,
        a.article_id in (select article_id from read_parquet($articles)) as in_batch
    from articles as a
    semi join ids as i on i.article_id = a.article_id
    where a.trend_day between $all_lo_day and $all_hi_day
),

entity_lists as (
    select
        article_id,
        list(key order by rank) as names
    from story_keys
    where article_at between $all_lo and $all_hi and article_id in (select article_id from ids)
    group by article_id
),

signatures as (
    select
        article_id,
        minhash,
        keywords
    from article_signatures
    where article_at between $all_lo and $all_hi and article_id in (select article_id from ids)
),

final as (
    select
        p.row_id,
        p.trend_day,
        p.article_id,
        p.at,
        p.duplicate_of,
        p.story_id,
        p.site,
        case when p.article_id in (select article_id from dup_pool) then s.minhash end as minhash,
        coalesce(s.keywords, []) as keywords,
        coalesce(e.names, []) as entities,
        p.in_batch
    from pool as p
    left join signatures as s on s.article_id = p.article_id
    left join entity_lists as e on e.article_id = p.article_id
    where p.in_batch or p.at between $all_lo and $all_hi
)

select * from final;

-- name: apply
-- by row id (the pool's): looked up by id, every article's id would be read
update articles set duplicate_of = g.duplicate_of, story_id = g.story_id
from grouping_changes as g
where articles.rowid = g.row_id;

-- name: touched_days_grouping
insert into touched_days
select distinct trend_day as day
from grouping_changes
where dup_changed;

-- name: stories_before
-- the stories the batch's articles and the moved ones left or joined, as stored: where, and their times
create or replace temp table stories_before as
select
    rowid as row_id,
    first_seen_at,
    last_seen_at
from stories
where story_id in (select story_id from touched_stories);

-- name: delete_stories
-- (insert_stories writes back those that still have members): a story only loses its last member by a move,
-- so no scan of every story is needed
delete from stories
where rowid in (select row_id from stories_before);

-- name: insert_stories
insert into stories
with members as (
    select
        article_id,
        story_id,
        duplicate_of,
        coalesce(published_at, fetched_at) as at,
        coalesce(site_name, regexp_extract(canonical_url, '^https?://([^/]+)', 1)) as outlet
    from articles
    where story_id in (select story_id from touched_stories)
        -- a member is one of the stories' as stored (between their first and last times) or one the judge
        -- moved (in the grouping window); by day, DuckDB reads only the row groups of those days
        and trend_day between (
            select cast(least(min(first_seen_at), $all_lo) as date) - 1 from stories_before
        ) and (
            select cast(greatest(max(last_seen_at), $all_hi) as date) + 1 from stories_before
        )
),

entity_weights as (
    select
        m.story_id,
        e.name,
        round(sum(ae.salience), 9) as weight  -- rounded: a float sum's last digit depends on the rows' order
    from members as m
    -- by id and time: DuckDB reads only the row groups of the members' times (migration 0017)
    inner join article_entities as ae on ae.article_id = m.article_id and ae.article_at = m.at
    inner join entities as e on e.entity_id = ae.entity_id
    where m.duplicate_of is null
    group by all
),

tops as (
    select
        story_id,
        list(name order by weight desc, name)[1:3] as top_entities
    from entity_weights
    group by story_id
),

final as (
    select
        m.story_id,
        min(m.at) as first_seen_at,
        max(m.at) as last_seen_at,
        count(*) filter (where m.duplicate_of is null) as size,
        count(*) as copies,
        count(distinct m.outlet) as outlets,
        coalesce(array_to_string(any_value(t.top_entities), ' · '), '') as label,
        coalesce(any_value(t.top_entities), []) as top_entities
    from members as m
    left join tops as t on t.story_id = m.story_id
    group by m.story_id
)

select * from final;

-- name: clear_bands
delete from duplicate_bands;

-- name: rebuild_bands
-- every signature's bands in another layout (the duplicate threshold changed)
insert into duplicate_bands
select
    s.article_at,
    s.article_id,
    cast(b.i as utinyint) as band,
    md5_number_upper(s.minhash[b.i * $band_width + 1:(b.i + 1) * $band_width]) as band_key
from article_signatures as s
cross join (select range as i from range($bands)) as b
where s.minhash is not null and s.article_at is not null
order by s.article_at, s.article_id, b.i;
