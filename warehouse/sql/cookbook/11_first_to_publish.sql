-- Who published the Xi-Putin call story first, and how far behind were the others?
select
    o.publish_order,
    o.outlet,
    o.first_published_at,
    o.hours_after_first,
    o.articles,
    o.copies
from story_outlets as o
inner join stories as s on s.story_id = o.story_id
where s.label like 'Xi Jinping · Vladimir Putin%'
order by o.publish_order, o.outlet;
