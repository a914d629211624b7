-- Articles published from $start to $end, filtered ($outlets, $relations, $story, $entity_id: null or
-- empty means any; $copies false leaves near-duplicate copies out), newest first, at most $limit, with
-- who published each and why it is here (the columns of view article_list, computed for these rows only).
with picked as (
    select
        a.article_id,
        coalesce(a.published_at, a.fetched_at) as seen_at
    from articles as a
    where cast(coalesce(a.published_at, a.fetched_at) as date) between $start and $end
        and (len($outlets) = 0 or outlet(a.site_name, a.canonical_url) in (select unnest($outlets)))
        and (len($relations) = 0 or a.relation in (select unnest($relations)))
        and ($story is null or a.story_id = $story)
        and ($copies or a.duplicate_of is null)
        and ($entity_id is null or exists (
            select 1 from article_entities as ae where ae.article_id = a.article_id and ae.entity_id = $entity_id))
),

page as (
    select article_id from picked order by seen_at desc, article_id limit $limit
),

final as (
    select
        l.published_at,
        l.outlet,
        l.title,
        l.url,
        l.relation,
        l.found_via,
        l.relevance,
        l.shared_with_seeds,
        l.story_label as story,
        l.copy_of_outlet as copy_of,
        l.version,
        l.removed_at,
        l.story_id,
        l.article_id,
        (select count(*) from picked) as total
    from article_list as l
    semi join page as p on p.article_id = l.article_id
)

select * from final order by coalesce(published_at, '-infinity'::timestamp) desc, article_id;
