-- The stored seeds' profile for building search queries: their entities by salience, then their
-- keywords (most frequent first). Parameter: $seeds (canonical seed URLs).

-- name: entities
with seed_articles as (
    select article_id from articles
    where list_contains($seeds, url) or list_contains($seeds, canonical_url)
),

final as (
    select
        e.name,
        e.type,
        max(ae.salience) as salience
    from article_entities as ae
    semi join seed_articles as s on s.article_id = ae.article_id
    inner join entities as e on e.entity_id = ae.entity_id
    group by all
)

select * from final order by salience desc, name limit 20;

-- name: keywords
select
    coalesce(s.keywords, []) as keywords,
    a.title
from articles as a
left join article_signatures as s on s.article_id = a.article_id
where list_contains($seeds, a.url) or list_contains($seeds, a.canonical_url)
order by a.article_id;
