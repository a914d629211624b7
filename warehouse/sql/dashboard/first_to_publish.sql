-- Per story with an article from $start to $end (the $limit covered by the most outlets): the first
-- outlet to publish it, the next one and the lead in hours.
with scoped as (
    select
        story_id,
        label,
        outlets,
        size
    from stories
    where cast(last_seen_at as date) >= $start and cast(first_seen_at as date) <= $end
    order by outlets desc, size desc, story_id
    limit $limit
),

per_outlet as (
    select
        story_id,
        outlet(site_name, canonical_url) as outlet,
        min(coalesce(published_at, fetched_at)) as first_published_at
    from articles
    where story_id in (select story_id from scoped)
    group by all
),

ordered as (
    select
        *,
        row_number() over (partition by story_id order by first_published_at, outlet) as n
    from per_outlet
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
    from scoped as s
    inner join ordered as f on f.story_id = s.story_id and f.n = 1
    left join ordered as x on x.story_id = s.story_id and x.n = 2
)

select * from final order by outlets desc, articles desc, story_id;
