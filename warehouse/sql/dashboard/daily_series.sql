-- Mentions per day of the chosen entities ($names), from $since on (null: all days).
with daily as (
    select
        day,
        name,
        mentions
    from entity_daily_mart
),

final as (
    select * from daily
    where name in (select unnest($names)) and ($since is null or day >= $since)
)

select * from final order by day;
