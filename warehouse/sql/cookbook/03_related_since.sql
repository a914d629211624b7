-- Which related articles appeared since Monday 13 June 2022, who published them, and why are they here?
select
    day,
    outlet,
    title,
    found_via,
    relevance
from article_list
where day >= date '2022-06-13'
order by published_at, outlet;
