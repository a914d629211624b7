-- newsmon warehouse, version 21: entity_totals has one definition, the table macro entity_totals_of(days),
-- which the load's refresh (each entity's part of the days it touched, before and after: the totals are kept
-- by difference since version 19), a rebuild of the marts (every day) and the data check
-- entity_totals_match_marts all read. Same rows.

create or replace macro entity_totals_of(days) as table
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
    -- the days' range first: DuckDB skips the row groups outside it (no day at all: an empty range)
    where day between coalesce(list_min(days), if(days is null, date '0001-01-01', date '9999-12-31'))
        and coalesce(list_max(days), if(days is null, date '9999-12-31', date '0001-01-01'))
        and (days is null or list_contains(days, day))
    group by entity_id
),

salient as (
    select
        entity_id,
        sum(articles) as salient_articles
    from entity_salient_mart
    where day between coalesce(list_min(days), if(days is null, date '0001-01-01', date '9999-12-31'))
        and coalesce(list_max(days), if(days is null, date '9999-12-31', date '0001-01-01'))
        and (days is null or list_contains(days, day))
    group by entity_id
)

select
    d.entity_id,
    d.name,
    d.type,
    d.mentions,
    d.articles,
    d.first_day,
    d.last_day,
    coalesce(s.salient_articles, 0) as salient_articles
from daily as d
left join salient as s on s.entity_id = d.entity_id;

comment on macro table entity_totals_of is 'entity_totals_of(days): entity_totals''s definition over the days listed (null: all): per entity its mentions, articles, first and last day in entity_daily_mart and its salient_articles in entity_salient_mart.';
