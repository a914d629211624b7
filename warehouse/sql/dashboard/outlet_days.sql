-- Articles (every copy) per day of the outlets $outlets, every day from $start to $end present.
with days as (
    select cast(unnest(range(cast($start as date), cast($end as date) + 1, interval 1 day)) as date) as day
),

chosen as (
    select unnest($outlets) as outlet
),

counts as (
    select
        day,
        source as outlet,
        articles
    from coverage_daily
    where day between $start and $end and source in (select outlet from chosen)
),

final as (
    select
        d.day,
        o.outlet,
        coalesce(c.articles, 0) as articles
    from days as d
    cross join chosen as o
    left join counts as c on c.day = d.day and c.outlet = o.outlet
)

select * from final order by outlet, day;
