-- Near-duplicates and stories, inside the load's transaction (warehouse/grouping.py): the pool of
-- stored articles around the batch, then the new duplicate_of / story_id and the refreshed stories.
-- Parameters: $articles (the batch's articles Parquet), $window_days (the larger of the two windows).

-- name: pool
with batch_days as (
    select
        min(coalesce(published_at, fetched_at)) - to_days(cast(ceil($window_days) as integer)) as lo,
        max(coalesce(published_at, fetched_at)) + to_days(cast(ceil($window_days) as integer)) as hi
    from read_parquet($articles)
),

pool as (
    select
        a.article_id,
        coalesce(a.published_at, a.fetched_at) as at,
        a.duplicate_of,
        a.story_id,
        coalesce(a.site_name, regexp_extract(a.canonical_url, '^https?://([^/]+)', 1)) as site
    from articles as a, batch_days as b
    where coalesce(a.published_at, a.fetched_at) between b.lo and b.hi
        or a.article_id in (select article_id from read_parquet($articles))
),

ranked_entities as (
    select
        ae.article_id,
        list(e.name order by ae.salience desc, e.name) as names
    from article_entities as ae
    semi join pool as p on p.article_id = ae.article_id
    inner join entities as e on e.entity_id = ae.entity_id
    group by ae.article_id
),

final as (
    select
        p.*,
        s.minhash,
        coalesce(s.keywords, []) as keywords,
        coalesce(r.names[1:8], []) as entities,
        p.article_id in (select article_id from read_parquet($articles)) as in_batch
    from pool as p
    left join article_signatures as s on s.article_id = p.article_id
    left join ranked_entities as r on r.article_id = p.article_id
)

select * from final;

-- name: apply
update articles set duplicate_of = g.duplicate_of, story_id = g.story_id
from grouping_changes as g
where articles.article_id = g.article_id;

-- name: touched_days_grouping
insert into touched_days
select distinct a.trend_day as day
from articles as a
semi join grouping_changes as g on g.article_id = a.article_id and g.dup_changed;

-- name: delete_stories
delete from stories
where story_id in (select story_id from touched_stories)
    or story_id not in (select story_id from articles where story_id is not null);

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
),

entity_weights as (
    select
        m.story_id,
        e.name,
        sum(ae.salience) as weight
    from members as m
    inner join article_entities as ae on ae.article_id = m.article_id
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
