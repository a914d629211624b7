-- One entity: its names, type, place codes and its coverage from $start to $end.
with spellings as (
    select list(alias order by alias) as aliases
    from entity_aliases
    where entity_id = $entity_id and alias <> (select name from entities where entity_id = $entity_id)
),

window_counts as (
    select
        coalesce(sum(articles), 0)::bigint as articles,
        coalesce(sum(mentions), 0)::bigint as mentions,
        min(day) as first_day,
        max(day) as last_day
    from entity_daily_mart
    where entity_id = $entity_id and day between $start and $end
),

final as (
    select
        e.entity_id,
        e.name,
        e.type,
        e.country_code,
        coalesce(s.aliases, []) as aliases,
        w.articles,
        w.mentions,
        w.first_day,
        w.last_day,
        coalesce(t.articles, 0) as all_articles
    from entities as e
    cross join spellings as s
    cross join window_counts as w
    left join entity_totals as t on t.entity_id = e.entity_id
    where e.entity_id = $entity_id
)

select * from final;
