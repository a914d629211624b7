-- On which days was Taiwan mentioned, and with whom?
with taiwan_articles as (
    select ae.article_id
    from article_entities as ae
    inner join entities as e on e.entity_id = ae.entity_id
    where e.name = 'Taiwan'
),

companions as (
    select
        a.trend_day as day,
        e.name
    from taiwan_articles as t
    inner join articles as a on a.article_id = t.article_id
    inner join article_entities as ae on ae.article_id = t.article_id
    inner join entities as e on e.entity_id = ae.entity_id
    where e.name <> 'Taiwan' and e.type = 'PERSON'
),

final as (
    select
        day,
        string_agg(distinct name, ', ' order by name) as people_mentioned_with_taiwan
    from companions
    group by day
)

select * from final order by day;
