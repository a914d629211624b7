-- The crawl ledger in one row: URLs known, by outcome, and what is due.
select
    count(*) as urls,
    count(*) filter (where state in ('stored', 'unchanged')) as articles,
    count(*) filter (where state in ('failed', 'blocked', 'robots_disallowed')) as refused_or_failed,
    count(*) filter (where state = 'queued') as queued,
    count(*) filter (where next_due_at <= (select max(last_checked_at) from urls)) as due,
    min(cast(last_checked_at as date)) as first_check_day,
    max(cast(last_checked_at as date)) as last_check_day
from urls;
