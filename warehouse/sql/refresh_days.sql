-- Refresh the trend marts for the days in temp table touched_days only (inside the load's transaction),
-- so a load's cost follows its batch, not the warehouse's history.

-- name: touched_entities
create or replace temp table touched_entities as
select distinct entity_id from entity_daily_mart
where day in (select day from touched_days);

-- name: delete_mart_days
delete from entity_daily_mart where day in (select day from touched_days);

-- name: insert_mart_days
-- entity_daily for the touched days only (the macro of migration 0009, the view's own definition).
insert into entity_daily_mart
select * from entity_daily_of(coalesce((select list(day) from touched_days), []::date[]))  -- none: none, not all
order by entity_id, day;

-- name: delete_pair_days
-- the co-occurrence marts (migration 0013's macros, the tables' own definitions), for the touched days
delete from entity_pairs_mart where day in (select day from touched_days);

-- name: insert_pair_days
insert into entity_pairs_mart
select * from entity_pairs_of(coalesce((select list(day) from touched_days), []::date[]))
order by entity_id, other_id, day;

-- name: delete_salient_days
delete from entity_salient_mart where day in (select day from touched_days);

-- name: insert_salient_days
insert into entity_salient_mart
select * from entity_salient_of(coalesce((select list(day) from touched_days), []::date[]))
order by day, entity_id;

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

salient as (
    select
        entity_id,
        sum(articles) as articles
    from entity_salient_mart
    where entity_id in (select distinct entity_id from touched_entities)
    group by entity_id
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

select
    f.*,
    coalesce(s.articles, 0) as salient_articles
from final as f
left join salient as s on s.entity_id = f.entity_id;
