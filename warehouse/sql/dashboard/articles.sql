-- The newest $limit articles published from $start to $end that pass the filters ($outlets, $relations,
-- $story, $entity_id: empty or null means any; $copies false leaves near-duplicate copies out), and how
-- many pass. Their columns come from articles_detail.sql (two steps: the detail query then reads the
-- large tables for these ids only).
with picked as (
    select
        a.article_id,
        a.trend_day as day,
        coalesce(a.published_at, a.fetched_at) as seen_at
    from articles as a
    where a.trend_day between $start and $end
        and (len($outlets) = 0 or list_contains($outlets, outlet(a.site_name, a.canonical_url)))
        and (len($relations) = 0 or list_contains($relations, a.relation))
        and ($story is null or a.story_id = $story)
        and ($copies or a.duplicate_of is null)
        and ($entity_id is null or a.article_id in (
            select article_id from article_entities where entity_id = $entity_id))
),

counted as (
    select count(*) as total from picked
),

final as (
    select
        p.article_id,
        p.day,
        c.total
    from picked as p, counted as c
    order by p.seen_at desc, p.article_id
    limit $limit
)

select * from final;
