-- Data checks run after every load. Each query returns the offending rows; any row fails the run.
-- Row-level checks look at the batch's rows (temp tables check_articles, check_urls: the article ids and
-- URLs the load wrote, or every row when checking the whole warehouse; batch_articles, batch_urls,
-- batch_signatures, batch_stories: their rows in articles, urls, article_signatures and stories, each table read
-- once: warehouse.checks._scope); entity-level checks look at the
-- whole entities tables, which stay small. The entities tables' keys are primary keys, enforced by DuckDB
-- itself; the others' (mentions and article_entities since migration 0014; articles, urls, article_signatures
-- and stories since 0016) have no index and are checked here, for the batch's rows.
-- Those two are read through the temp views loaded_mentions and loaded_article_entities: the rows at their end
-- that hold the batch's (a load appends its articles' rows), or every row (warehouse.checks._tail).
-- name: articles_unique
select a.article_id, count(*) as n
from batch_articles as a
group by all
having count(*) > 1;
-- name: article_signatures_unique
select s.article_id, count(*) as n
from batch_signatures as s
group by all
having count(*) > 1;
-- name: stories_unique
-- the stories of the batch's articles
select s.story_id, count(*) as n
from batch_stories as s
group by all
having count(*) > 1;
-- name: urls_unique
select u.url, count(*) as n
from batch_urls as u
group by all
having count(*) > 1;
-- name: articles_canonical_url_unique
-- the batch's among themselves (every article's when checking the whole warehouse): a stored article with a
-- batch article's canonical URL would have its id, which articles_unique finds (newsmon.stage: an id is the
-- hash of the canonical URL); comparing with every stored canonical URL read the whole column at each load
select a.canonical_url, count(*) as n
from batch_articles as a
group by a.canonical_url
having count(*) > 1;
-- name: lookup_keys
-- the numbers the load finds stored articles and URLs by (migration 0022): a wrong one would make a later
-- load miss the row and store a second one
select 'article' as kind, a.article_id as key from batch_articles as a
where a.article_key is distinct from md5_number_lower(a.article_id)
union all
select 'url' as kind, u.url as key from batch_urls as u
where u.url_key is distinct from md5_number_lower(u.url);
-- name: articles_not_null
select a.article_id from batch_articles as a
where a.url is null or a.canonical_url is null or a.title is null or a.text is null or a.fetched_at is null
    or a.relation is null or a.raw_sha256 is null or a.content_hash is null or a.version is null;
-- name: articles_relation_accepted
select a.article_id, a.relation from batch_articles as a
where a.relation not in ('seed', 'linked', 'feed', 'sitemap', 'search');
-- name: entities_not_null
select entity_id from entities where name is null or type is null or name = '';
-- name: entities_type_accepted
select entity_id, type from entities
where type not in ('PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'FAC', 'EVENT', 'LAW', 'PRODUCT', 'WORK_OF_ART');
-- name: mentions_article_exists
with batch_mentions as (
    select distinct m.article_id from loaded_mentions as m semi join check_articles as c on c.article_id = m.article_id
)

select m.article_id from batch_mentions as m anti join batch_articles as a on a.article_id = m.article_id;
-- name: mentions_unique
select m.article_id, m.start_char, count(*) as n
from loaded_mentions as m semi join check_articles as c on c.article_id = m.article_id
group by all
having count(*) > 1;
-- name: article_entities_unique
select ae.article_id, ae.entity_id, count(*) as n
from loaded_article_entities as ae semi join check_articles as c on c.article_id = ae.article_id
group by all
having count(*) > 1;
-- name: mentions_article_time
-- the article's time each row of the batch carries (migration 0017) is its article's: the marts read them by it
with batch_times as (
    select a.article_id, coalesce(a.published_at, a.fetched_at) as article_at
    from batch_articles as a
),

batch_rows as (
    select 'mentions' as tbl, m.article_id, m.article_at from loaded_mentions as m
    semi join check_articles as c on c.article_id = m.article_id
    union all
    select 'article_entities' as tbl, ae.article_id, ae.article_at from loaded_article_entities as ae
    semi join check_articles as c on c.article_id = ae.article_id
)

select r.tbl, r.article_id, r.article_at, t.article_at as article_time
from batch_rows as r
left join batch_times as t on t.article_id = r.article_id
where r.article_at is distinct from t.article_at;
-- name: mentions_entity_exists
select m.entity_id from loaded_mentions as m semi join check_articles as c on c.article_id = m.article_id
anti join entities as e on e.entity_id = m.entity_id;
-- name: mentions_offsets_match_text
-- the batch's texts first: joined whole, articles.text would be read for every stored article
with batch_texts as (
    select a.article_id, a.text from batch_articles as a
),

batch_mentions as (
    select m.* from loaded_mentions as m semi join check_articles as c on c.article_id = m.article_id
)

select m.article_id, m.start_char from batch_mentions as m
inner join batch_texts as a on a.article_id = m.article_id
where substr(a.text, m.start_char + 1, m.end_char - m.start_char) <> m.surface;
-- name: urls_state_accepted
select u.url, u.state from batch_urls as u
where u.state not in ('stored', 'unchanged', 'irrelevant', 'duplicate', 'robots_disallowed', 'blocked', 'feed',
                      'not_article', 'failed', 'skipped', 'queued', 'gone');
-- name: urls_article_states_have_article
-- the batch's own articles first; only the ids of others are looked up in articles (none: no scan)
with article_urls as (
    select u.url, u.state, u.article_id from batch_urls as u
    where u.state in ('stored', 'unchanged', 'gone')
),

elsewhere as (
    select u.article_id from article_urls as u anti join batch_articles as a on a.article_id = u.article_id
),

found as (
    select article_id from batch_articles
    union all
    select a.article_id from articles as a semi join elsewhere as e on e.article_id = a.article_id
)

select u.url, u.state from article_urls as u anti join found as f on f.article_id = u.article_id;
-- name: urls_fetched_have_check_time
select u.url, u.state from batch_urls as u
where (u.state = 'queued') = (u.last_checked_at is not null);
-- name: entities_no_unmerged_alias
select from_id, to_id from person_alias_merges;
-- name: article_entities_salience_range
select ae.article_id, ae.entity_id, ae.salience from loaded_article_entities as ae
semi join check_articles as c on c.article_id = ae.article_id
where ae.salience < 0 or ae.salience > 1;
-- name: entity_aliases_entity_exists
select a.entity_id from entity_aliases as a anti join entities as e on e.entity_id = a.entity_id;
-- name: countries_have_codes
select entity_id, name from entities where type = 'GPE' and geonames_id is not null and country_code is null;
-- name: duplicates_point_at_representatives
-- the originals in the batch first; only the others are looked up in articles (none: no scan)
with batch_copies as (
    select a.article_id, a.duplicate_of from batch_articles as a
    where a.duplicate_of is not null
),

elsewhere as (
    select b.duplicate_of from batch_copies as b anti join batch_articles as a on a.article_id = b.duplicate_of
),

representatives as (
    select a.article_id from batch_articles as a where a.duplicate_of is null
    union all
    select r.article_id from articles as r semi join elsewhere as e on e.duplicate_of = r.article_id
    where r.duplicate_of is null
)

select b.article_id, b.duplicate_of from batch_copies as b anti join representatives as r on r.article_id = b.duplicate_of;
-- name: articles_have_story
-- (articles stored before migration 0007 have no signature and no story until they are stored again)
select a.article_id from batch_articles as a
semi join batch_signatures as g on g.article_id = a.article_id
anti join batch_stories as s on s.story_id = a.story_id;
-- name: batch_mentions_loaded
-- every mention the batch holds for an article is in the warehouse (a load that lost them fails here)
select c.article_id, c.mentions, count(m.article_id) as loaded
from check_mentions as c
left join loaded_mentions as m on m.article_id = c.article_id
group by all
having count(m.article_id) <> c.mentions;
-- name: batch_stored_urls_have_their_articles
-- a URL the batch's ledger calls stored came with its article in the same batch
select l.url, l.article_id from check_ledger as l
where l.state = 'stored' and l.article_id not in (select article_id from check_articles);
-- name: entity_totals_match_marts
-- entity_totals is what entity_daily_mart and entity_salient_mart add up to (macro entity_totals_of), over the
-- days temp macro check_totals_days() lists: every day (null) when checking the whole warehouse, none after a
-- load (a load keeps the totals by difference, warehouse/sql/refresh_days.sql; reading every mart row of the
-- entities it touched would cost what that saves). A constant list: DuckDB then reads no mart row for none.
with expected as (
    select * from entity_totals_of(check_totals_days())
),

stored as (
    select entity_id, mentions, articles, first_day, last_day, salient_articles
    from entity_totals
    where check_totals_days() is null
)

select
    coalesce(e.entity_id, t.entity_id) as entity_id,
    t.articles as stored_articles,
    e.articles as mart_articles
from expected as e
full join stored as t on t.entity_id = e.entity_id
where row(e.mentions, e.articles, e.first_day, e.last_day, e.salient_articles)
    is distinct from row(t.mentions, t.articles, t.first_day, t.last_day, t.salient_articles);
