-- The $n entities in the most articles, for the dashboard's default chart selection.
with totals as (
    select
        name,
        sum(articles) as articles,
        sum(mentions) as mentions
    from entity_daily_mart
    group by name
),

final as (
    select name from totals
    order by articles desc, mentions desc, name
    limit $n
)

select * from final;
