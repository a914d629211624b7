-- One story's articles per day and outlet (every copy), every day from its first to its last present.
with members as (
    select
        trend_day as day,
        outlet(site_name, canonical_url) as outlet,
        duplicate_of
    from articles
    where story_id = $story
),

days as (
    select cast(unnest(range(min(day), max(day) + 1, interval 1 day)) as date) as day
    from members
),

outlets as (
    select distinct outlet from members
),

counts as (
    select
        day,
        outlet,
        count(*) as articles,
        count(*) filter (where duplicate_of is not null) as copies
    from members
    group by all
),

final as (
    select
        d.day,
        o.outlet,
        coalesce(c.articles, 0) as articles,
        coalesce(c.copies, 0) as copies
    from days as d
    cross join outlets as o
    left join counts as c on c.day = d.day and c.outlet = o.outlet
)

select * from final order by day, outlet;
