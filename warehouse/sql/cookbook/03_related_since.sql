-- Which related articles appeared since Monday 13 June 2022, and why are they related?
select
    cast(published_at as date) as day,
    title,
    relation,
    hops,
    relevance
from related_timeline
where published_at >= date '2022-06-13'
order by published_at;
