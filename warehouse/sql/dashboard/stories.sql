-- The $limit largest stories with an article from $start to $end: label, days, size, copies, outlets and
-- the outlet that published first.
with scoped as (
    select
        story_id,
        label,
        cast(first_seen_at as date) as first_day,
        cast(last_seen_at as date) as last_day,
        size as articles,
        copies,
        outlets
    from stories
    where cast(last_seen_at as date) >= $start and cast(first_seen_at as date) <= $end
    order by size desc, copies desc, last_seen_at desc, story_id
    limit $limit
),

firsts as (
    select
        story_id,
        min_by(outlet(site_name, canonical_url),
               (coalesce(published_at, fetched_at), outlet(site_name, canonical_url))) as first_outlet
    from articles
    where story_id in (select story_id from scoped)
    group by story_id
),

final as (
    select
        s.label,
        s.first_day,
        s.last_day,
        s.articles,
        s.copies,
        s.outlets,
        f.first_outlet,
        s.story_id
    from scoped as s
    left join firsts as f on f.story_id = s.story_id
)

select * from final order by articles desc, copies desc, last_day desc, story_id;
