-- The stories behind `newsmon stories`, latest first.
-- Parameters: $since (only stories seen on or after this day, or null), $limit.
with final as (
    select
        story_id,
        label,
        cast(first_seen_at as date) as first_day,
        cast(last_seen_at as date) as last_day,
        size as articles,
        copies,
        outlets
    from stories
    where $since is null or last_seen_at >= cast($since as date)
    order by last_seen_at desc, size desc, story_id
    limit $limit
)

select * from final;
