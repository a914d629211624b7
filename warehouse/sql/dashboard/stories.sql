-- Stories with an article from $start to $end, the largest first: label, days, size, copies, outlets and
-- the outlet that published first.
with firsts as (
    select
        story_id,
        outlet as first_outlet
    from story_outlets
    where publish_order = 1
    qualify row_number() over (partition by story_id order by outlet) = 1
),

final as (
    select
        s.label,
        cast(s.first_seen_at as date) as first_day,
        cast(s.last_seen_at as date) as last_day,
        s.size as articles,
        s.copies,
        s.outlets,
        f.first_outlet,
        s.story_id
    from stories as s
    left join firsts as f on f.story_id = s.story_id
    where cast(s.last_seen_at as date) >= $start and cast(s.first_seen_at as date) <= $end
)

select * from final order by articles desc, copies desc, last_day desc, story_id limit $limit;
