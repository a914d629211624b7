-- newsmon warehouse, version 7: coverage beyond one publisher. Near-duplicate articles (wire copies,
-- syndicated and AMP/print copies) point at the earliest copy; related articles are grouped into stories;
-- search results keep their provider and query; every search request is logged. Trend views and marts
-- count each story copy once (representatives only: duplicate_of is null); every copy stays in `articles`.

alter table articles add column duplicate_of varchar;    -- article_id of the earliest copy; null: this is it
alter table articles add column story_id varchar;        -- the story (event) it belongs to, see `stories`

alter table urls add column search_provider varchar;     -- gdelt, rss: the search that found the URL
alter table urls add column search_query varchar;        -- the query sent to that provider

-- MinHash signature of each article's main text (near-duplicates) and its salient terms (stories).
create table article_signatures (
    article_id varchar primary key,
    minhash blob,                          -- 128 x uint32, little-endian (datasketch MinHash, affine32, seed 1)
    keywords varchar[] not null            -- its 30 most frequent non-stop words of 4+ letters, most first
);

create table stories (
    story_id varchar primary key,          -- the article_id of the article that started it
    first_seen_at timestamp not null,      -- earliest member's published (else fetched) time
    last_seen_at timestamp not null,       -- latest member's
    size integer not null,                 -- member articles, near-duplicates counted once
    copies integer not null,               -- member articles including near-duplicates
    outlets integer not null,              -- distinct sites (site name, else host) among all members
    label varchar not null,                -- top entities by summed salience, e.g. Xi Jinping · Vladimir Putin
    top_entities varchar[] not null
);

create table searches (
    run_id varchar not null,
    provider varchar not null,             -- gdelt, rss
    endpoint varchar not null,             -- the request URL (credentials masked)
    query varchar not null,
    requested_at timestamp not null,
    state varchar not null,                -- ok, failed
    http_status integer,
    results integer not null,              -- result URLs the provider returned
    detail varchar
);

-- Trend views count each story copy once: entity_daily (and so its mart and entity_totals) and
-- cooccurrence are restated with the representative filter.
create or replace view entity_daily as
with article_days as (
    select
        article_id,
        cast(coalesce(published_at, fetched_at) as date) as day
    from articles
    where duplicate_of is null
),

mention_counts as (
    select
        m.article_id,
        m.entity_id,
        count(*) as mentions
    from mentions as m
    semi join article_days as d on d.article_id = m.article_id
    group by all
),

joined as (
    select
        d.day,
        mc.entity_id,
        mc.mentions,
        coalesce(ae.salience, 0) as salience
    from mention_counts as mc
    inner join article_days as d on d.article_id = mc.article_id
    left join article_entities as ae on ae.article_id = mc.article_id and ae.entity_id = mc.entity_id
),

final as (
    select
        j.day,
        j.entity_id,
        e.name,
        e.type,
        sum(j.mentions) as mentions,
        count(*) as articles,
        round(sum(j.salience), 4) as salience
    from joined as j
    inner join entities as e on e.entity_id = j.entity_id
    group by all
)

select * from final;

-- Rebuild the marts from representatives (none is a duplicate yet, so the rows stay the same).
delete from entity_daily_mart;
insert into entity_daily_mart select * from entity_daily order by entity_id, day;
delete from entity_totals;
insert into entity_totals
select
    entity_id,
    any_value(name) as name,
    any_value(type) as type,
    sum(mentions) as mentions,
    sum(articles) as articles,
    min(day) as first_day,
    max(day) as last_day
from entity_daily_mart
group by entity_id;

-- Entities that appear in the same articles as `entity_name` (case-insensitive canonical name), with
-- the number of shared articles, lift = P(both) / (P(a) P(b)) and PMI = log2(lift), over the articles
-- (each story copy once) published on or after `since` (default: all; then the per-entity totals come from entity_totals).
create or replace macro cooccurrence(entity_name, min_articles := 1, since := null) as table
with target as (
    select entity_id from entities where lower(name) = lower(entity_name)
),

scoped as (
    select
        ae.article_id,
        ae.entity_id
    from article_entities as ae
    semi join articles as a on a.article_id = ae.article_id and a.duplicate_of is null
    where cast(since as date) is null
    union all
    select
        ae.article_id,
        ae.entity_id
    from article_entities as ae
    semi join articles as a on a.article_id = ae.article_id
        and cast(coalesce(a.published_at, a.fetched_at) as date) >= cast(since as date)
        and a.duplicate_of is null
    where cast(since as date) is not null
),

target_articles as (
    select article_id from scoped where entity_id in (select entity_id from target)
),

together as (
    select
        sc.entity_id,
        count(*) as articles_together
    from scoped as sc
    semi join target_articles as t on t.article_id = sc.article_id
    where sc.entity_id not in (select entity_id from target)
    group by sc.entity_id
),

other_totals as (
    select
        entity_id,
        articles as articles_with_other
    from entity_totals
    where cast(since as date) is null and entity_id in (select entity_id from together)
    union all
    select
        entity_id,
        count(*) as articles_with_other
    from scoped
    semi join together using (entity_id)
    where cast(since as date) is not null
    group by entity_id
),

sizes as (
    select
        (select count(*) from articles
         where duplicate_of is null and (since is null or cast(coalesce(published_at, fetched_at) as date) >= cast(since as date)))
            as n_articles,
        (select count(*) from target_articles) as n_target
),

final as (
    select
        e.name,
        e.type,
        t.articles_together,
        o.articles_with_other,
        s.n_target as articles_with_entity,
        round(t.articles_together * s.n_articles / (s.n_target * o.articles_with_other), 3) as lift,
        round(log2(t.articles_together * s.n_articles / (s.n_target * o.articles_with_other)), 3) as pmi
    from together as t
    inner join other_totals as o on o.entity_id = t.entity_id
    inner join entities as e on e.entity_id = t.entity_id
    cross join sizes as s
    where t.articles_together >= cast(min_articles as integer)
)

select * from final order by articles_together desc, lift desc, name;

-- Entity counts per story and day (representatives only): per-story entity trends.
create view story_entity_daily as
with members as (
    select
        article_id,
        story_id,
        cast(coalesce(published_at, fetched_at) as date) as day
    from articles
    where story_id is not null and duplicate_of is null
),

final as (
    select
        m.story_id,
        m.day,
        ae.entity_id,
        e.name,
        e.type,
        sum(ae.mentions) as mentions,
        count(*) as articles,
        round(sum(ae.salience), 4) as salience
    from members as m
    inner join article_entities as ae on ae.article_id = m.article_id
    inner join entities as e on e.entity_id = ae.entity_id
    group by all
)

select * from final;

-- A story's coverage per day: articles counted once, every copy, and the outlets that ran them.
create view story_timeline as
with members as (
    select
        story_id,
        cast(coalesce(published_at, fetched_at) as date) as day,
        duplicate_of,
        coalesce(site_name, regexp_extract(canonical_url, '^https?://([^/]+)', 1)) as outlet
    from articles
    where story_id is not null
),

final as (
    select
        m.story_id,
        s.label,
        m.day,
        count(*) filter (where m.duplicate_of is null) as articles,
        count(*) as copies,
        count(distinct m.outlet) as outlets
    from members as m
    inner join stories as s on s.story_id = m.story_id
    group by all
)

select * from final;
