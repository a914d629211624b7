-- Who covered story $story, in the order they first published it.
select
    publish_order,
    outlet,
    first_published_at,
    hours_after_first,
    articles,
    copies
from story_outlets
where story_id = $story
order by publish_order, outlet;
