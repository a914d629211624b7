-- entity_totals whole, from the marts (a rebuild of the marts, warehouse.trends.rebuild_marts: a repair does
-- not trust the stored totals that a load's refresh_days.sql keeps by difference)

-- name: delete_all_totals
delete from entity_totals;

-- name: insert_all_totals
insert into entity_totals
with daily as (
    select
        entity_id,
        any_value(name) as name,
        any_value(type) as type,
        sum(mentions) as mentions,
        sum(articles) as articles,
        min(day) as first_day,
        max(day) as last_day
    from entity_daily_mart
    group by entity_id
),

salient as (
    select
        entity_id,
        sum(articles) as salient_articles
    from entity_salient_mart
    group by entity_id
)

select
    d.*,
    coalesce(s.salient_articles, 0) as salient_articles
from daily as d
left join salient as s on s.entity_id = d.entity_id;
