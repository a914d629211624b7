-- Mart: one row per entity with its totals and first/last day of coverage. Refreshed by entity_trends.
delete from entity_totals;

insert into entity_totals
with daily as (
    select * from entity_daily_mart
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
