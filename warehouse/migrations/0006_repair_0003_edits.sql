-- newsmon warehouse, version 6: repair warehouses that applied an earlier edit of migration 0003 (it was
-- changed in four commits after release; a warehouse built with an earlier edit has no entity_daily_mart,
-- or a cooccurrence macro without `since`, ...). It restates the trend objects as 0003 defines them now,
-- idempotently, then crawl_health_daily as 0005 redefined it. On a warehouse that is already right it
-- changes nothing. Migrations are immutable from here on: warehouse/db.py records each file's checksum.

create or replace view entity_daily as
with article_days as (
    select
        article_id,
        cast(coalesce(published_at, fetched_at) as date) as day
    from articles
),

mention_counts as (
    select
        article_id,
        entity_id,
        count(*) as mentions
    from mentions
    group by all
),

joined as (
    select
        d.day,
        mc.entity_id,
        mc.mentions,
        coalesce(ae.salience, 0) as salience
    from mention_counts as mc
    inner join article_days as d on d.article_id = mc.article_id
    left join article_entities as ae on ae.article_id = mc.article_id and ae.entity_id = mc.entity_id
),

final as (
    select
        j.day,
        j.entity_id,
        e.name,
        e.type,
        sum(j.mentions) as mentions,
        count(*) as articles,
        round(sum(j.salience), 4) as salience
    from joined as j
    inner join entities as e on e.entity_id = j.entity_id
    group by all
)

select * from final;

-- entity_daily materialised (absent in warehouses built with the first edits of 0003); loads refresh it.
create table if not exists entity_daily_mart as select * from entity_daily order by entity_id, day;

create or replace view entity_weekly as
with daily as (
    select * from entity_daily_mart
),

final as (
    select
        cast(date_trunc('week', day) as date) as week,
        entity_id,
        any_value(name) as name,
        any_value(type) as type,
        sum(mentions) as mentions,
        sum(articles) as articles,
        round(sum(salience), 4) as salience
    from daily
    group by all
)

select * from final;

-- Entities whose coverage (articles mentioning them) in the last `recent_days` days before `as_of`
-- (default: the latest day with data) rose against the `baseline_days` before that.
-- expected = baseline articles scaled to the recent window; ratio = (recent + 1) / (expected + 1)
-- (add-one smoothing); z = (recent - expected) / sqrt(expected + 1) (Poisson-style);
-- only entities with at least `min_articles` recent articles are listed.
create or replace macro rising_entities(recent_days := 7, baseline_days := 28, min_articles := 3, as_of := null) as table
with params as (
    select
        coalesce(cast(as_of as date), (select max(day) from entity_daily_mart)) as as_of,
        cast(recent_days as integer) as recent_days,
        cast(baseline_days as integer) as baseline_days,
        cast(min_articles as integer) as min_articles
),

windows as (
    select
        d.entity_id,
        any_value(d.name) as name,
        any_value(d.type) as type,
        coalesce(sum(d.articles) filter (where d.day > p.as_of - p.recent_days), 0) as recent_articles,
        coalesce(sum(d.articles) filter (where d.day <= p.as_of - p.recent_days), 0) as baseline_articles,
        coalesce(sum(d.mentions) filter (where d.day > p.as_of - p.recent_days), 0) as recent_mentions
    from entity_daily_mart as d, params as p
    where d.day <= p.as_of and d.day > p.as_of - p.recent_days - p.baseline_days
    group by d.entity_id
),

scored as (
    select
        w.*,
        w.baseline_articles * p.recent_days / p.baseline_days as expected_articles,
        p.min_articles
    from windows as w, params as p
),

final as (
    select
        entity_id,
        name,
        type,
        recent_articles,
        baseline_articles,
        recent_mentions,
        round(expected_articles, 3) as expected_articles,
        round((recent_articles + 1) / (expected_articles + 1), 3) as ratio,
        round((recent_articles - expected_articles) / sqrt(expected_articles + 1), 3) as z
    from scored
    where recent_articles >= min_articles
)

select * from final order by z desc, recent_articles desc, name;

-- Entities that appear in the same articles as `entity_name` (case-insensitive canonical name), with
-- the number of shared articles, lift = P(both) / (P(a) P(b)) and PMI = log2(lift), over the articles
-- published on or after `since` (default: all; then the per-entity totals come from entity_totals).
create or replace macro cooccurrence(entity_name, min_articles := 1, since := null) as table
with target as (
    select entity_id from entities where lower(name) = lower(entity_name)
),

scoped as (
    select
        article_id,
        entity_id
    from article_entities
    where cast(since as date) is null
    union all
    select
        ae.article_id,
        ae.entity_id
    from article_entities as ae
    semi join articles as a on a.article_id = ae.article_id
        and cast(coalesce(a.published_at, a.fetched_at) as date) >= cast(since as date)
    where cast(since as date) is not null
),

target_articles as (
    select article_id from scoped where entity_id in (select entity_id from target)
),

together as (
    select
        sc.entity_id,
        count(*) as articles_together
    from scoped as sc
    semi join target_articles as t on t.article_id = sc.article_id
    where sc.entity_id not in (select entity_id from target)
    group by sc.entity_id
),

other_totals as (
    select
        entity_id,
        articles as articles_with_other
    from entity_totals
    where cast(since as date) is null and entity_id in (select entity_id from together)
    union all
    select
        entity_id,
        count(*) as articles_with_other
    from scoped
    semi join together using (entity_id)
    where cast(since as date) is not null
    group by entity_id
),

sizes as (
    select
        (select count(*) from articles
         where since is null or cast(coalesce(published_at, fetched_at) as date) >= cast(since as date))
            as n_articles,
        (select count(*) from target_articles) as n_target
),

final as (
    select
        e.name,
        e.type,
        t.articles_together,
        o.articles_with_other,
        s.n_target as articles_with_entity,
        round(t.articles_together * s.n_articles / (s.n_target * o.articles_with_other), 3) as lift,
        round(log2(t.articles_together * s.n_articles / (s.n_target * o.articles_with_other)), 3) as pmi
    from together as t
    inner join other_totals as o on o.entity_id = t.entity_id
    inner join entities as e on e.entity_id = t.entity_id
    cross join sizes as s
    where t.articles_together >= cast(min_articles as integer)
)

select * from final order by articles_together desc, lift desc, name;

-- Articles per source (site name, else host) and publication day.
create or replace view coverage_daily as
with sources as (
    select
        cast(coalesce(published_at, fetched_at) as date) as day,
        coalesce(site_name, regexp_extract(canonical_url, '^https?://([^/]+)', 1)) as source,
        article_id
    from articles
),

final as (
    select
        day,
        source,
        count(*) as articles
    from sources
    group by all
)

select * from final;

-- Each stored article with the seed it is related to and why: seed, linked (hops, via which page) or
-- feed (relevance score); a linked article is traced back through the pages that linked it.
create or replace view related_timeline as
with recursive chain(article_id, seed_article_id, depth) as (
    select
        article_id,
        article_id,
        0
    from articles
    where relation = 'seed'
    union all
    select
        child.article_id,
        chain.seed_article_id,
        chain.depth + 1
    from chain
    inner join articles as parent on parent.article_id = chain.article_id
    inner join articles as child on child.related_via in (parent.url, parent.canonical_url)
        and child.relation = 'linked'
    where chain.depth < 10
),

roots as (
    select
        article_id,
        arg_min(seed_article_id, depth) as seed_article_id
    from chain
    group by article_id
),

final as (
    select
        s.title as seed_title,
        a.title,
        a.canonical_url,
        a.published_at,
        a.relation,
        a.hops,
        a.relevance,
        a.related_via
    from articles as a
    left join roots as r on r.article_id = a.article_id
    left join articles as s on s.article_id = r.seed_article_id
)

select * from final;

-- Crawl health from the ledger: URLs per state and day of their last check, and failures by reason.
create or replace view crawl_health_daily as
select
    cast(last_checked_at as date) as day,
    state,
    count(*) as urls
from urls
group by all;

create or replace view crawl_failures as
with failed as (
    select
        regexp_replace(coalesce(detail, ''), '(https?://\S+|\d+(\.\d+)?)', '…', 'g') as reason,
        url
    from urls
    where state in ('failed', 'blocked', 'robots_disallowed')
),

final as (
    select
        reason,
        count(*) as urls,
        min(url) as example_url
    from failed
    group by reason
)

select * from final;

-- As migration 0005 redefined it (restated after 0003's version above).
create or replace view crawl_health_daily as
select
    cast(coalesce(last_checked_at, first_seen_at) as date) as day,
    state,
    count(*) as urls
from urls
group by all;
