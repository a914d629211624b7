-- One story's entities by day (story_entity_daily: each copy counted once), behind `newsmon trends --story`.
-- Parameters: $story, $entity_id (or null), $days (the N most recent days of the story, or null), $since, $limit.
with daily as (
    select * from story_entity_daily where story_id = $story
),

latest as (
    select max(day) as last_day from daily
),

final as (
    select
        daily.day,
        daily.name,
        daily.type,
        daily.mentions,
        daily.articles,
        daily.salience
    from daily, latest
    where ($entity_id is null or daily.entity_id = $entity_id)
        and ($days is null or daily.day > latest.last_day - cast($days as integer))
        and ($since is null or daily.day >= cast($since as date))
    order by daily.day desc, daily.mentions desc, daily.name
    limit $limit
)

select * from final;
