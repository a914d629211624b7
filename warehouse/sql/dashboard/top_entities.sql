-- The $n entities in the most articles (copies once) published from $start to $end, for the pickers.
with daily as (
    select
        entity_id,
        name,
        type,
        articles,
        mentions
    from entity_daily_mart
    where day between $start and $end
),

final as (
    select
        any_value(name) as name,
        any_value(type) as type,
        sum(articles)::bigint as articles,
        sum(mentions)::bigint as mentions
    from daily
    group by entity_id
)

select * from final
order by articles desc, mentions desc, name
limit $n;
