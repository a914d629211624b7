-- Articles, newest first, with why each is related, whether it was removed or is a copy of an earlier
-- article (and whose), and its salient entities.
with salient as (
    select
        ae.article_id,
        string_agg(e.name, ', ' order by ae.salience desc) as entities
    from article_entities as ae
    inner join entities as e on e.entity_id = ae.entity_id
    where ae.salience >= 0.3
    group by ae.article_id
),

final as (
    select
        a.title,
        a.canonical_url as url,
        cast(coalesce(a.published_at, a.fetched_at) as date) as day,
        a.relation,
        a.hops,
        a.relevance,
        a.version,
        a.removed_at is not null as removed,
        a.duplicate_of is not null as is_copy,
        coalesce(d.site_name, d.canonical_url) as copy_of,
        s.entities
    from articles as a
    left join salient as s on s.article_id = a.article_id
    left join articles as d on d.article_id = a.duplicate_of
    where $since is null or cast(coalesce(a.published_at, a.fetched_at) as date) >= $since
)

select * from final order by day desc, title;
