-- URLs per ledger state and day of their last check, every day from $start to $end present.
with days as (
    select cast(unnest(range(cast($start as date), cast($end as date) + 1, interval 1 day)) as date) as day
),

counts as (
    select
        day,
        state,
        urls
    from crawl_health_daily
    where day between $start and $end
),

states as (
    select distinct state from counts
),

final as (
    select
        d.day,
        s.state,
        coalesce(c.urls, 0) as urls
    from days as d
    cross join states as s
    left join counts as c on c.day = d.day and c.state = s.state
)

select * from final order by day, state;
