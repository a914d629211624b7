-- Failures by reason, most frequent first.
select
    reason,
    urls,
    example_url
from crawl_failures
order by urls desc, reason;
