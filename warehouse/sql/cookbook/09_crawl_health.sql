-- Crawl health: what happened to the URLs found, by state (crawl_health_daily has them per day).
select state, sum(urls) as urls
from crawl_health_daily
group by state
order by urls desc, state;
