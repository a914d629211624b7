-- Articles and mentions per day of the entities named $names, every day from $start to $end present
-- (zero when an entity was not mentioned), with the day's article count for its share of coverage.
with days as (
    select cast(unnest(range(cast($start as date), cast($end as date) + 1, interval 1 day)) as date) as day
),

chosen as (
    select
        entity_id,
        name
    from entities
    where name in (select unnest($names))
),

counts as (
    select
        c.name,
        m.day,
        sum(m.articles)::bigint as articles,
        sum(m.mentions)::bigint as mentions
    from entity_daily_mart as m
    inner join chosen as c on c.entity_id = m.entity_id
    where m.day between $start and $end
    group by all
),

day_totals as (  -- the range's days only: joined without this filter, the view counted every day's articles
    select
        day,
        articles
    from articles_daily
    where day between $start and $end
),

final as (
    select
        d.day,
        n.name,
        coalesce(c.articles, 0) as articles,
        coalesce(c.mentions, 0) as mentions,
        coalesce(a.articles, 0) as day_articles
    from days as d
    cross join (select distinct name from chosen) as n
    left join counts as c on c.day = d.day and c.name = n.name
    left join day_totals as a on a.day = d.day
)

select * from final order by name, day;
