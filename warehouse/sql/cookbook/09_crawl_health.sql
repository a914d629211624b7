-- Crawl health: URLs per state and day, and failures by reason.
select day, state, urls from crawl_health_daily order by day desc, urls desc;
