-- The articles $ids with who published each and why it is here (the columns of view article_list),
-- newest first. list_contains with a list parameter lets DuckDB filter the large tables in the scan.
with seed_entities as (
    select distinct ae.entity_id
    from article_entities as ae
    semi join articles as s on s.article_id = ae.article_id and s.relation = 'seed'
),

shared as (
    select
        ae.article_id,
        list(e.name order by ae.salience desc, e.name) as names
    from article_entities as ae
    semi join seed_entities as s on s.entity_id = ae.entity_id
    inner join entities as e on e.entity_id = ae.entity_id
    where list_contains($ids, ae.article_id)
    group by ae.article_id
),

searched as (
    select
        article_id,
        any_value(search_provider) as search_provider,
        any_value(search_query) as search_query
    from urls
    where list_contains($ids, article_id) and search_query is not null
    group by article_id
),

final as (
    select
        a.published_at,
        outlet(a.site_name, a.canonical_url) as outlet,
        a.title,
        a.canonical_url as url,
        a.relation,
        found_via(a.relation, a.related_via, a.hops, q.search_provider, q.search_query) as found_via,
        a.relevance,
        coalesce(sh.names, []) as shared_with_seeds,
        st.label as story,
        outlet(d.site_name, d.canonical_url) as copy_of,
        a.version,
        a.removed_at,
        a.story_id,
        a.article_id,
        coalesce(a.published_at, a.fetched_at) as seen_at
    from articles as a
    left join searched as q on q.article_id = a.article_id
    left join shared as sh on sh.article_id = a.article_id
    left join stories as st on st.story_id = a.story_id
    left join articles as d on d.article_id = a.duplicate_of
    where list_contains($ids, a.article_id)
)

select * exclude (seen_at) from final order by seen_at desc, article_id;
