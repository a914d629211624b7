-- Per story with an article from $start to $end: the first outlet to publish it, the next one and the
-- lead in hours, the largest stories first.
with ordered as (
    select
        story_id,
        outlet,
        first_published_at,
        row_number() over (partition by story_id order by first_published_at, outlet) as n
    from story_outlets
),

final as (
    select
        s.label as story,
        f.outlet as first_outlet,
        f.first_published_at,
        x.outlet as next_outlet,
        round(date_diff('minute', f.first_published_at, x.first_published_at) / 60.0, 2) as lead_hours,
        s.outlets,
        s.size as articles,
        s.story_id
    from stories as s
    inner join ordered as f on f.story_id = s.story_id and f.n = 1
    left join ordered as x on x.story_id = s.story_id and x.n = 2
    where cast(s.last_seen_at as date) >= $start and cast(s.first_seen_at as date) <= $end
)

select * from final order by outlets desc, articles desc, story_id limit $limit;
