-- Refresh the trend marts for the days in temp table touched_days only (inside the load's transaction),
-- so a load's cost follows its batch, not the warehouse's history.

-- name: touched_entities
create or replace temp table touched_entities as
select distinct entity_id from entity_daily_mart
where day in (select day from touched_days);

-- name: delete_mart_days
delete from entity_daily_mart where day in (select day from touched_days);

-- name: insert_mart_days
-- entity_daily (migration 0007: representatives only) restricted to the touched days before aggregating, so only their
-- articles' mentions are counted.
insert into entity_daily_mart
with article_days as (
    select
        article_id,
        cast(coalesce(published_at, fetched_at) as date) as day
    from articles
    where cast(coalesce(published_at, fetched_at) as date) in (select day from touched_days)
        and duplicate_of is null
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

select * from final order by entity_id, day;

-- name: touched_entities_after
insert into touched_entities
select distinct entity_id from entity_daily_mart
where day in (select day from touched_days);

-- name: delete_totals
delete from entity_totals
where entity_id in (select entity_id from touched_entities)
    or entity_id not in (select entity_id from entities);

-- name: insert_totals
insert into entity_totals
with daily as (
    select * from entity_daily_mart
    where entity_id in (select distinct entity_id from touched_entities)
),

final as (
    select
        entity_id,
        any_value(name) as name,
        any_value(type) as type,
        sum(mentions) as mentions,
        sum(articles) as articles,
        min(day) as first_day,
        max(day) as last_day
    from daily
    group by entity_id
)

select * from final;
