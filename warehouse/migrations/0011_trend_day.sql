-- newsmon warehouse, version 11: the day an article counts on in trends, chosen once. articles.trend_day is
-- the publisher's stated day (published_day, the default) or the UTC day of published_at, as the setting
-- trend_day in table warehouse_settings says ('stated' or 'utc'; the config key trend_day writes it, see
-- warehouse/trend_day.py); the fetch day when the page states neither. Every view, macro and mart that
-- counts by day reads trend_day, so all of them count the same article on the same day. The marts are
-- rebuilt here, since articles stamped in UTC near midnight move to the day their publisher states.

create table warehouse_settings (
    key varchar primary key,
    value varchar not null
);

insert into warehouse_settings values ('trend_day', 'stated');

create macro trend_day_of(published_day, published_at, fetched_at) as
    case (select value from warehouse_settings where key = 'trend_day')
        when 'utc' then cast(coalesce(published_at, fetched_at) as date)
        else coalesce(published_day, cast(coalesce(published_at, fetched_at) as date))
    end;

alter table articles add column trend_day date;

update articles set trend_day = trend_day_of(published_day, published_at, fetched_at);

create or replace view coverage_daily as
with sources as (
    select
        trend_day as day,
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

comment on view coverage_daily is 'Articles per outlet and publication day, every copy counted (an outlet''s copy of a wire story is its coverage).';
comment on column coverage_daily.day is 'Day the article counts on (articles.trend_day: the publisher''s stated day or the UTC day, as the warehouse''s trend_day setting says; the fetch day when the page states none).';
comment on column coverage_daily.source is 'The outlet (site name, else host).';
comment on column coverage_daily.articles is 'Its articles that day.';

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

comment on view related_timeline is 'Each stored article with the seed it traces back to and how (seed, linked through which pages, feed, sitemap, search).';
comment on column related_timeline.seed_title is 'Title of the seed it traces back to (linked articles); null for items found by feed, sitemap or search.';
comment on column related_timeline.title is 'Headline.';
comment on column related_timeline.canonical_url is 'Canonical URL.';
comment on column related_timeline.published_at is 'Publication time, UTC.';
comment on column related_timeline.relation is 'seed, linked, feed, sitemap or search.';
comment on column related_timeline.hops is 'Link hops from the seed.';
comment on column related_timeline.relevance is 'Relevance to the seeds (feed, sitemap and search items).';
comment on column related_timeline.related_via is 'The page, feed, sitemap or search request it was found in.';

create or replace view story_entity_daily as
with members as (
    select
        article_id,
        story_id,
        trend_day as day
    from articles
    where story_id is not null and duplicate_of is null
),

final as (
    select
        m.story_id,
        m.day,
        ae.entity_id,
        e.name,
        e.type,
        cast(sum(ae.mentions) as bigint) as mentions,
        count(*) as articles,
        round(sum(ae.salience), 4) as salience
    from members as m
    inner join article_entities as ae on ae.article_id = m.article_id
    inner join entities as e on e.entity_id = ae.entity_id
    group by all
)

select * from final;

comment on view story_entity_daily is 'Per story, day and entity: mentions and articles (copies counted once). Behind newsmon trends --story.';
comment on column story_entity_daily.story_id is 'The story (stories.story_id).';
comment on column story_entity_daily.day is 'Day the article counts on (articles.trend_day: the publisher''s stated day or the UTC day, as the warehouse''s trend_day setting says; the fetch day when the page states none).';
comment on column story_entity_daily.entity_id is 'The canonical entity.';
comment on column story_entity_daily.name is 'Canonical name.';
comment on column story_entity_daily.type is 'Entity type.';
comment on column story_entity_daily.mentions is 'Mentions in the story''s articles that day.';
comment on column story_entity_daily.articles is 'The story''s articles that day that mention it.';
comment on column story_entity_daily.salience is 'Sum of its salience over those articles.';

create or replace view story_timeline as
with members as (
    select
        story_id,
        trend_day as day,
        duplicate_of,
        coalesce(site_name, regexp_extract(canonical_url, '^https?://([^/]+)', 1)) as outlet
    from articles
    where story_id is not null
),

final as (
    select
        m.story_id,
        s.label,
        m.day,
        count(*) filter (where m.duplicate_of is null) as articles,
        count(*) as copies,
        count(distinct m.outlet) as outlets
    from members as m
    inner join stories as s on s.story_id = m.story_id
    group by all
)

select * from final;

comment on view story_timeline is 'A story''s coverage per publication day: articles (copies once), every copy, and outlets.';
comment on column story_timeline.story_id is 'The story (stories.story_id).';
comment on column story_timeline.label is 'The story''s label.';
comment on column story_timeline.day is 'Day the article counts on (articles.trend_day: the publisher''s stated day or the UTC day, as the warehouse''s trend_day setting says; the fetch day when the page states none).';
comment on column story_timeline.articles is 'Articles that day, copies counted once.';
comment on column story_timeline.copies is 'Articles that day, every copy counted.';
comment on column story_timeline.outlets is 'Outlets that published that day.';

create or replace view articles_daily as
with days as (
    select
        trend_day as day,
        duplicate_of,
        outlet(site_name, canonical_url) as outlet
    from articles
),

final as (
    select
        day,
        count(*) filter (where duplicate_of is null) as articles,
        count(*) as copies,
        count(distinct outlet) as outlets
    from days
    group by day
)

select * from final;

comment on view articles_daily is 'Articles per publication day: the denominator of an entity''s share of the day''s coverage.';
comment on column articles_daily.day is 'Day the article counts on (articles.trend_day: the publisher''s stated day or the UTC day, as the warehouse''s trend_day setting says; the fetch day when the page states none).';
comment on column articles_daily.articles is 'Articles that day, copies counted once.';
comment on column articles_daily.copies is 'Articles that day, every copy counted.';
comment on column articles_daily.outlets is 'Outlets that published that day.';

create or replace view article_list as
with seed_entities as (
    select distinct ae.entity_id
    from article_entities as ae
    semi join articles as a on a.article_id = ae.article_id and a.relation = 'seed'
),

shared as (
    select
        ae.article_id,
        list(e.name order by ae.salience desc, e.name) as names
    from article_entities as ae
    semi join seed_entities as s on s.entity_id = ae.entity_id
    inner join entities as e on e.entity_id = ae.entity_id
    group by ae.article_id
),

searched as (
    select
        article_id,
        any_value(search_provider) as search_provider,
        any_value(search_query) as search_query
    from urls
    where article_id is not null and search_query is not null
    group by article_id
),

final as (
    select
        a.article_id,
        a.trend_day as day,
        a.published_at,
        outlet(a.site_name, a.canonical_url) as outlet,
        a.title,
        a.canonical_url as url,
        a.relation,
        found_via(a.relation, a.related_via, a.hops, q.search_provider, q.search_query) as found_via,
        a.related_via,
        q.search_provider,
        q.search_query,
        a.hops,
        a.relevance,
        coalesce(sh.names, []) as shared_with_seeds,
        a.story_id,
        s.label as story_label,
        a.duplicate_of,
        outlet(d.site_name, d.canonical_url) as copy_of_outlet,
        a.version,
        a.modified_at,
        a.removed_at,
        a.fetched_at
    from articles as a
    left join shared as sh on sh.article_id = a.article_id
    left join searched as q on q.article_id = a.article_id
    left join stories as s on s.story_id = a.story_id
    left join articles as d on d.article_id = a.duplicate_of
)

select * from final;

comment on view article_list is 'One row per article with its outlet, why it is here (found_via), the seed entities it shares, its story and whether it is a copy, updated or removed.';
comment on column article_list.article_id is 'The article (articles.article_id).';
comment on column article_list.day is 'Day the article counts on (articles.trend_day: the publisher''s stated day or the UTC day, as the warehouse''s trend_day setting says; the fetch day when the page states none).';
comment on column article_list.published_at is 'Publication time, UTC (null when the page states none).';
comment on column article_list.outlet is 'Who published it (site name, else host).';
comment on column article_list.title is 'Headline.';
comment on column article_list.url is 'Canonical URL.';
comment on column article_list.relation is 'seed, linked, feed, sitemap or search.';
comment on column article_list.found_via is 'Why it is here, in words: the linking page, feed, sitemap or search query.';
comment on column article_list.related_via is 'The page, feed, sitemap or search request it was found in.';
comment on column article_list.search_provider is 'The search source that found it (relation search).';
comment on column article_list.search_query is 'The query that found it (relation search).';
comment on column article_list.hops is 'Link hops from a seed.';
comment on column article_list.relevance is 'Relevance to the seeds, 0 to 1 (feed, sitemap and search items).';
comment on column article_list.shared_with_seeds is 'Entities it shares with the seed articles, most salient first.';
comment on column article_list.story_id is 'Its story.';
comment on column article_list.story_label is 'Its story''s label.';
comment on column article_list.duplicate_of is 'The earlier article it is a near-duplicate copy of (counted once in trends).';
comment on column article_list.copy_of_outlet is 'The outlet of that earlier article.';
comment on column article_list.version is 'Version: above 1 when a revisit found changed text.';
comment on column article_list.modified_at is 'Last modification time the page states, UTC.';
comment on column article_list.removed_at is 'When the site removed it; null while online.';
comment on column article_list.fetched_at is 'When this version was fetched, UTC.';

create or replace macro cooccurrence(entity_name, min_articles := 1, since := null) as table
with target as (
    select entity_id from resolve_entity(entity_name)
),

representatives as (
    select article_id
    from articles
    where duplicate_of is null
        and (cast(since as date) is null or trend_day >= cast(since as date))
),

target_articles as (
    select ae.article_id
    from article_entities as ae
    semi join representatives as r on r.article_id = ae.article_id
    where ae.entity_id = (select entity_id from target)
),

together as (
    select
        ae.entity_id,
        count(*) as articles_together
    from article_entities as ae
    semi join target_articles as t on t.article_id = ae.article_id
    where ae.entity_id <> (select entity_id from target)
    group by ae.entity_id
),

other_totals as (
    select
        entity_id,
        cast(sum(articles) as bigint) as articles_with_other
    from entity_daily_mart
    where (cast(since as date) is null or day >= cast(since as date))
        and entity_id in (select entity_id from together)
    group by entity_id
),

sizes as (
    select
        (select cast(sum(articles) as bigint) from articles_daily
         where cast(since as date) is null or day >= cast(since as date)) as n_articles,
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

comment on macro table cooccurrence is 'cooccurrence(entity, min_articles := 1, since := null): entities in the same articles as entity (any spelling), with shared articles, lift = P(both)/(P(a)P(b)) and PMI = log2(lift); copies counted once.';

create or replace macro entity_daily_of(days) as table
with article_days as (
    select
        article_id,
        trend_day as day
    from articles
    where duplicate_of is null
        and (days is null or list_contains(days, trend_day))
),

mention_counts as (
    select
        m.article_id,
        m.entity_id,
        count(*) as mentions
    from mentions as m
    semi join article_days as d on d.article_id = m.article_id
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
        cast(sum(j.mentions) as bigint) as mentions,
        count(*) as articles,
        round(sum(j.salience), 4) as salience
    from joined as j
    inner join entities as e on e.entity_id = j.entity_id
    group by all
)

select * from final;

comment on macro table entity_daily_of is 'entity_daily_of(days): mentions and articles per entity and publication day for the days listed (NULL: all), copies counted once: the one definition behind the entity_daily view and its mart.';

comment on column entity_daily.day is 'Day the article counts on (articles.trend_day: the publisher''s stated day or the UTC day, as the warehouse''s trend_day setting says; the fetch day when the page states none).';
comment on column entity_daily_mart.day is 'Day the article counts on (articles.trend_day: the publisher''s stated day or the UTC day, as the warehouse''s trend_day setting says; the fetch day when the page states none).';
comment on column articles.trend_day is 'The day this article counts on in trends: published_day (trend_day setting ''stated'', the default) or the UTC day of published_at (''utc''); the fetch day when the page states none. Kept by each load.';
comment on macro trend_day_of is 'trend_day_of(published_day, published_at, fetched_at): the day an article counts on, as the trend_day setting says (the one definition behind articles.trend_day).';
comment on column articles.published_source is 'Where published_at came from: json-ld, meta, time (the article''s own <time>), url, feed, dateline (the one day printed under the headline, at midnight UTC) or htmldate.';
comment on table warehouse_settings is 'Settings the warehouse''s own definitions depend on, written by newsmon from its config: trend_day (''stated'' or ''utc'').';
comment on column warehouse_settings.key is 'Setting name.';
comment on column warehouse_settings.value is 'Its value.';

-- the marts, rebuilt for the new days

delete from entity_daily_mart;

insert into entity_daily_mart
select * from entity_daily_of(null)
order by entity_id, day;

delete from entity_totals;

insert into entity_totals
select
    entity_id,
    any_value(name) as name,
    any_value(type) as type,
    sum(mentions) as mentions,
    sum(articles) as articles,
    min(day) as first_day,
    max(day) as last_day
from entity_daily_mart
group by entity_id;
