-- The daily mention table behind `newsmon trends`.
-- Parameters: $entity_id (one entity, resolved by warehouse.trends.resolve_entity, or null for all), $days (the N most recent
-- days with data, or null), $since (first day, or null), $limit.
with daily as (
    select * from entity_daily_mart
),

latest as (
    select max(day) as last_day from daily
),

filtered as (
    select daily.*
    from daily, latest
    where ($entity_id is null or daily.entity_id = $entity_id)
        and ($days is null or daily.day > latest.last_day - cast($days as integer))
        and ($since is null or daily.day >= cast($since as date))
),

final as (
    select
        day,
        name,
        type,
        mentions,
        articles,
        salience
    from filtered
    order by day desc, mentions desc, name
    limit $limit
)

select * from final;
