-- Articles per day (copies counted once) of the $n largest stories, for the story timeline chart.
with top as (
    select story_id from stories order by size desc, copies desc, last_seen_at desc, story_id limit $n
),

final as (
    select
        t.day,
        t.label || ' (' || left(t.story_id, 6) || ')' as story,
        t.articles,
        t.copies,
        t.outlets
    from story_timeline as t
    semi join top on top.story_id = t.story_id
    where $since is null or t.day >= $since
)

select * from final order by day, story;
