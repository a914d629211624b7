-- URLs per ledger state and day of their last check, newest day first.
select
    strftime(day, '%Y-%m-%d') as day,
    state,
    urls
from crawl_health_daily
order by day desc, urls desc;
