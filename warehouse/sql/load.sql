-- The single writer's load, statement by statement, inside one transaction (warehouse/load.py).
-- Parameters: $articles, $entities, $entity_aliases, $mentions, $article_entities, $urls,
-- $article_signatures, $searches (Parquet paths).
-- Rows are upserted by key; a changed article (new content hash) gets version + 1.

-- name: batch_before
-- the batch's articles as stored before this load: their old days and times (grouping.sql replaces their keys)
create or replace temp table batch_before as
select
    article_id,
    coalesce(published_at, fetched_at) as article_at,
    trend_day
from articles
where article_id in (select article_id from read_parquet($articles));

-- name: touched_days_before
create or replace temp table touched_days as
select distinct trend_day as day
from batch_before;

-- name: upsert_articles
insert into articles by name
select
    *,
    md5(text) as content_hash,
    1 as version,
    cast(null as timestamp) as removed_at
from read_parquet($articles)
on conflict (article_id) do update set
    url = excluded.url,
    canonical_url = excluded.canonical_url,
    title = excluded.title,
    authors = excluded.authors,
    published_at = excluded.published_at,
    published_source = excluded.published_source,
    published_day = excluded.published_day,
    published_offset_min = excluded.published_offset_min,
    modified_at = excluded.modified_at,
    modified_source = excluded.modified_source,
    fetched_at = excluded.fetched_at,
    language = excluded.language,
    site_name = excluded.site_name,
    text = excluded.text,
    word_count = excluded.word_count,
    relation = excluded.relation,
    hops = excluded.hops,
    relevance = excluded.relevance,
    related_via = excluded.related_via,
    raw_sha256 = excluded.raw_sha256,
    version = case
        when articles.content_hash is distinct from excluded.content_hash then articles.version + 1
        else articles.version
    end,
    content_hash = excluded.content_hash,
    removed_at = null;

-- name: set_trend_day
-- the day each loaded article counts on (macro trend_day_of, migration 0011)
update articles set trend_day = trend_day_of(published_day, published_at, fetched_at)
where article_id in (select article_id from read_parquet($articles));

-- name: touched_days_after
insert into touched_days
select distinct trend_day as day
from articles
where article_id in (select article_id from read_parquet($articles));

-- name: upsert_signatures
-- with the article's time: loads read their grouping window's signatures by it (migration 0012)
insert into article_signatures by name
select
    s.*,
    coalesce(a.published_at, a.fetched_at) as article_at
from read_parquet($article_signatures) as s
left join read_parquet($articles) as a on a.article_id = s.article_id
on conflict (article_id) do update set
    minhash = excluded.minhash,
    keywords = excluded.keywords,
    article_at = excluded.article_at;

-- name: insert_searches
insert into searches by name
select * from read_parquet($searches);

-- name: mark_removed
update articles set removed_at = u.last_checked_at
from read_parquet($urls) as u
where u.state = 'gone' and articles.article_id = u.article_id and articles.removed_at is null;

-- name: upsert_entities
insert into entities by name
select * from read_parquet($entities)
on conflict (entity_id) do update set
    country_code = coalesce(excluded.country_code, entities.country_code),
    geonames_id = coalesce(excluded.geonames_id, entities.geonames_id);

-- name: insert_aliases
insert into entity_aliases by name
select * from read_parquet($entity_aliases)
on conflict do nothing;

-- name: delete_mentions
-- only articles stored before can have rows (batch_before): a batch of new articles deletes nothing, without
-- reading the table (its ids are hashes: looking them up reads every row, 20 million at a million articles)
delete from mentions where article_id in (select article_id from batch_before);

-- name: insert_mentions
insert into mentions by name
select * from read_parquet($mentions);

-- name: delete_article_entities
delete from article_entities where article_id in (select article_id from batch_before);

-- name: insert_article_entities
insert into article_entities by name
select * from read_parquet($article_entities);

-- name: upsert_urls
insert into urls by name
select * from read_parquet($urls)
on conflict (url) do update set
    state = excluded.state,
    detail = excluded.detail,
    http_status = excluded.http_status,
    final_url = excluded.final_url,
    article_id = excluded.article_id,
    relation = excluded.relation,
    hops = excluded.hops,
    discovered_from = excluded.discovered_from,
    last_checked_at = excluded.last_checked_at,
    run_id = excluded.run_id,
    etag = excluded.etag,
    last_modified = excluded.last_modified,
    raw_sha256 = excluded.raw_sha256,
    content_type = excluded.content_type,
    last_changed_at = excluded.last_changed_at,
    next_due_at = excluded.next_due_at,
    fetches = coalesce(urls.fetches, 0) + excluded.fetches,
    is_feed = excluded.is_feed,
    search_provider = coalesce(excluded.search_provider, urls.search_provider),
    search_query = coalesce(excluded.search_query, urls.search_query);

-- name: touched_days_merges
insert into touched_days
select distinct a.trend_day as day
from mentions as m
inner join person_alias_merges as pm on pm.from_id = m.entity_id
inner join articles as a on a.article_id = m.article_id;
