-- The outlets whose articles (every copy) from $start to $end mention entity $entity_id, most first.
with mentioning as (
    select
        outlet(a.site_name, a.canonical_url) as outlet,
        a.duplicate_of,
        ae.salience
    from article_entities as ae
    inner join articles as a on a.article_id = ae.article_id
    where ae.entity_id = $entity_id
        and a.trend_day between $start and $end
),

final as (
    select
        outlet,
        count(*) as articles,
        count(*) filter (where duplicate_of is not null) as copies,
        round(avg(salience), 3) as mean_salience
    from mentioning
    group by outlet
)

select * from final order by articles desc, outlet;
