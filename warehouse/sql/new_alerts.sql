-- Alerts not raised yet: entities crossing the rising threshold (as of the latest day with data) and
-- related articles stored since. Parameters: $recent_days, $baseline_days, $min_articles, $z.
with latest as (
    select max(day) as as_of from entity_daily_mart
),

rising as (
    select
        'rising:' || r.entity_id || ':' || cast(l.as_of as varchar) as alert_id,
        'rising' as kind,
        r.entity_id,
        cast(null as varchar) as article_id,
        r.name || ' (' || r.type || ') is rising: ' || r.recent_articles || ' articles in the last '
            || $recent_days || ' days, ' || r.expected_articles || ' expected, z = ' || r.z as message,
        json_object('kind', 'rising', 'entity', r.name, 'type', r.type, 'as_of', l.as_of,
                    'recent_articles', r.recent_articles, 'expected_articles', r.expected_articles,
                    'ratio', r.ratio, 'z', r.z) as payload
    from rising_entities(recent_days := $recent_days, baseline_days := $baseline_days,
                         min_articles := $min_articles) as r, latest as l
    where r.z >= $z
),

new_articles as (
    select
        'article:' || a.article_id as alert_id,
        'new_article' as kind,
        cast(null as varchar) as entity_id,
        a.article_id,
        'new related article (' || a.relation || '): ' || a.title as message,
        json_object('kind', 'new_article', 'title', a.title, 'url', a.canonical_url, 'relation', a.relation,
                    'hops', a.hops, 'relevance', a.relevance, 'published_at', a.published_at) as payload
    from articles as a
),

final as (
    select * from rising
    union all
    select * from new_articles
)

select f.*
from final as f
anti join alerts as a on a.alert_id = f.alert_id
order by f.kind, f.alert_id;
