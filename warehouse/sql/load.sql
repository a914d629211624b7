-- The single writer's load, statement by statement, inside one transaction (warehouse/load.py).
-- Parameters: $articles, $entities, $entity_aliases, $mentions, $article_entities, $urls,
-- $article_signatures, $searches (Parquet paths).
-- Rows are upserted by key (only entities and aliases have an index); a changed article (new content hash)
-- gets version + 1. Articles, URLs and signatures are looked up once (batch_before, urls_before,
-- signatures_before), then updated (or replaced) by row id and the others appended: ids are hashes, so a
-- lookup by id reads the whole column (articles and URLs by their 8-byte article_key, url_key).

-- name: batch_before
-- the batch's articles as stored before this load: where (row id), their old days and times (grouping.sql
-- replaces their keys); found by article_key (a number: reading that column costs a fraction of reading the
-- ids, migration 0022), then their ids compared (materialized first, or DuckDB reads the ids too)
create or replace temp table batch_before as
with found as materialized (
    select
        rowid as row_id,
        article_id,
        coalesce(published_at, fetched_at) as article_at,
        trend_day
    from articles
    where article_key in (select md5_number_lower(article_id) from read_parquet($articles))
)

select *
from found
where article_id in (select article_id from read_parquet($articles));

-- name: touched_days_before
create or replace temp table touched_days as
select distinct trend_day as day
from batch_before;

-- name: batch_articles
-- the batch's articles as they are stored: with their content hash and the day they count on (macro
-- trend_day_of, migration 0011)
create or replace temp table batch_articles as
select
    *,
    md5(text) as content_hash,
    trend_day_of(published_day, published_at, fetched_at) as trend_day,
    md5_number_lower(article_id) as article_key
from read_parquet($articles);

-- name: update_articles
-- those stored before, by row id: DuckDB reads only their row groups
update articles set
    url = b.url,
    canonical_url = b.canonical_url,
    title = b.title,
    authors = b.authors,
    published_at = b.published_at,
    published_source = b.published_source,
    published_day = b.published_day,
    published_offset_min = b.published_offset_min,
    modified_at = b.modified_at,
    modified_source = b.modified_source,
    fetched_at = b.fetched_at,
    language = b.language,
    site_name = b.site_name,
    text = b.text,
    word_count = b.word_count,
    relation = b.relation,
    hops = b.hops,
    relevance = b.relevance,
    related_via = b.related_via,
    raw_sha256 = b.raw_sha256,
    version = case
        when articles.content_hash is distinct from b.content_hash then articles.version + 1
        else articles.version
    end,
    content_hash = b.content_hash,
    removed_at = null,
    trend_day = b.trend_day
from batch_articles as b
inner join batch_before as s on s.article_id = b.article_id
where articles.rowid = s.row_id;

-- name: insert_articles
insert into articles by name
select
    b.*,
    1 as version,
    cast(null as timestamp) as removed_at
from batch_articles as b
anti join batch_before as s on s.article_id = b.article_id;

-- name: touched_days_after
insert into touched_days
select distinct trend_day as day
from batch_articles;

-- name: signatures_before
-- the stored signatures of the batch's articles, found by id and time (the stored article's, or the batch's
-- for a signature whose article is gone): signatures are in the order of their time (migration 0012), so
-- DuckDB reads only the row groups of those times
create or replace temp table signatures_before as
with times as (
    select article_id, article_at from batch_before
    union
    select article_id, coalesce(published_at, fetched_at) as article_at from batch_articles
)

select distinct
    g.rowid as row_id,
    g.article_id
from article_signatures as g
inner join times as t on t.article_id = g.article_id and t.article_at = g.article_at;

-- name: update_signatures
-- with the article's time: loads read their grouping window's signatures by it (migration 0012)
update article_signatures set
    minhash = b.minhash,
    keywords = b.keywords,
    article_at = coalesce(a.published_at, a.fetched_at)
from read_parquet($article_signatures) as b
inner join signatures_before as s on s.article_id = b.article_id
left join batch_articles as a on a.article_id = b.article_id
where article_signatures.rowid = s.row_id;

-- name: insert_signatures
insert into article_signatures by name
select
    b.*,
    coalesce(a.published_at, a.fetched_at) as article_at
from read_parquet($article_signatures) as b
left join batch_articles as a on a.article_id = b.article_id
anti join signatures_before as s on s.article_id = b.article_id;

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
-- reading the table (its ids are hashes: looking them up reads every row, 20 million at a million articles);
-- joined on the article's time too, only the row groups of the stored articles' times are read (migration 0017)
delete from mentions as m
using batch_before as b
where m.article_id = b.article_id and m.article_at = b.article_at;

-- name: insert_mentions
-- with the article's time, from the batch's articles (data check mentions_article_time)
insert into mentions by name
select
    m.*,
    coalesce(a.published_at, a.fetched_at) as article_at
from read_parquet($mentions) as m
left join batch_articles as a on a.article_id = m.article_id;

-- name: delete_article_entities
delete from article_entities as ae
using batch_before as b
where ae.article_id = b.article_id and ae.article_at = b.article_at;

-- name: insert_article_entities
insert into article_entities by name
select
    ae.*,
    coalesce(a.published_at, a.fetched_at) as article_at
from read_parquet($article_entities) as ae
left join batch_articles as a on a.article_id = ae.article_id;

-- name: urls_before
-- the batch's URLs as stored before this load (where, and what the upsert keeps of them), found by url_key
-- as batch_before finds articles
create or replace temp table urls_before as
with found as materialized (
    select
        rowid as row_id,
        url,
        first_seen_at,
        fetches,
        search_provider,
        search_query
    from urls
    where url_key in (select md5_number_lower(url) from read_parquet($urls))
)

select *
from found
where url in (select url from read_parquet($urls));

-- name: delete_urls
-- replaced rather than updated in place, so that the batch's URLs are the last rows of urls, as its
-- articles are of articles (an update of a list column, authors, moves the row): the data checks read the
-- batch's rows there instead of looking their keys up (warehouse.checks, setting last_load_rows)
delete from urls where rowid in (select row_id from urls_before);

-- name: insert_urls
-- a stored URL keeps when it was first seen and its search, and adds up its fetches
insert into urls by name
select
    b.* replace (
        case when s.row_id is null then b.first_seen_at else s.first_seen_at end as first_seen_at,
        coalesce(s.fetches, 0) + b.fetches as fetches,
        coalesce(b.search_provider, s.search_provider) as search_provider,
        coalesce(b.search_query, s.search_query) as search_query
    ),
    md5_number_lower(b.url) as url_key
from read_parquet($urls) as b
left join urls_before as s on s.url = b.url;

-- name: touched_days_merges
insert into touched_days
select distinct a.trend_day as day
from mentions as m
inner join person_alias_merges as pm on pm.from_id = m.entity_id
inner join articles as a on a.article_id = m.article_id;
