-- newsmon warehouse, version 16: articles, urls, article_signatures and stories without primary keys. Their
-- keys are hashes (article_id, story_id: 16 hex digits of sha1) or URLs, so every load's new keys land all over
-- each key's DuckDB ART index, and DuckDB writes those indexes again at each checkpoint: measured on a synthetic
-- warehouse of a million articles after one hourly cycle of 5,000, 412 of the 506 blocks the cycle changed (of
-- 133 MB written to the readers' copy) were not table data. No query needs them: newsmon reads these tables by
-- joins and scans, and a load finds its batch's stored rows by a join on their keys, then updates them by row
-- id (warehouse/sql/load.sql). What the keys guaranteed, one row per key, is now a data check on every load's rows
-- (articles_unique, urls_unique, article_signatures_unique, stories_unique in warehouse/sql/checks.sql), as for
-- mentions and article_entities since version 14. The rows keep their order; not-null columns stay not null.

create table articles_unkeyed (
    article_id varchar not null,
    url varchar not null,
    canonical_url varchar not null,
    title varchar not null,
    authors varchar[] not null,
    published_at timestamp,
    published_source varchar,
    modified_at timestamp,
    modified_source varchar,
    fetched_at timestamp not null,
    language varchar,
    site_name varchar,
    text varchar not null,
    word_count integer not null,
    relation varchar not null,
    hops integer,
    relevance double,
    related_via varchar,
    raw_sha256 varchar not null,
    content_hash varchar,
    version integer default 1,
    removed_at timestamp,
    duplicate_of varchar,
    story_id varchar,
    published_day date,
    published_offset_min integer,
    trend_day date
);

insert into articles_unkeyed
select * from articles;

drop table articles;

alter table articles_unkeyed rename to articles;

comment on table articles is 'One row per stored article (every copy of a story included; duplicate_of marks near-duplicate copies). Key: article_id (unique: checked by every load; no index). Who published it and why it is here, in words: view article_list.';
comment on column articles.article_id is 'Article key: first 16 hex digits of sha1(canonical_url).';
comment on column articles.url is 'The URL it was fetched from.';
comment on column articles.canonical_url is 'The page''s canonical URL (rel=canonical), its identity; unique.';
comment on column articles.title is 'Headline as published (text, never markup).';
comment on column articles.authors is 'Bylines found on the page, in order.';
comment on column articles.published_at is 'Publication time, UTC; null when the page states none (then fetched_at counts).';
comment on column articles.published_source is 'Where published_at came from: json-ld, meta, time (the article''s own <time>), url, feed, dateline (the one day printed under the headline, at midnight UTC) or htmldate.';
comment on column articles.modified_at is 'Last modification time the page states, UTC.';
comment on column articles.modified_source is 'Where modified_at came from: json-ld, meta, time or htmldate.';
comment on column articles.fetched_at is 'When newsmon fetched this version, UTC.';
comment on column articles.language is 'Language code the page declares (e.g. en).';
comment on column articles.site_name is 'Outlet name the page declares (og:site_name); the host when absent, see macro outlet().';
comment on column articles.text is 'Main text, boilerplate removed.';
comment on column articles.word_count is 'Words in text.';
comment on column articles.relation is 'How it relates to the seeds: seed, linked, feed, sitemap or search.';
comment on column articles.hops is 'Link hops from a seed (0 for a seed); null unless relation is seed or linked.';
comment on column articles.relevance is 'Relevance to the seeds, 0 to 1 (feed, sitemap and search items; null otherwise).';
comment on column articles.related_via is 'The page that linked it, the feed or sitemap it was listed in, or the search request that found it.';
comment on column articles.raw_sha256 is 'sha256 of the raw page, kept under data_dir/raw.';
comment on column articles.content_hash is 'md5 of text: a new hash on a revisit is a new version.';
comment on column articles.version is 'Version number: 1, then +1 each time a revisit finds changed text.';
comment on column articles.removed_at is 'When the site removed it (404 or 410 on a revisit); null while it is online.';
comment on column articles.duplicate_of is 'article_id of the earliest near-duplicate copy (wire copies, republications); null: this is the one counted.';
comment on column articles.story_id is 'The story (event) it belongs to, see table stories.';
comment on column articles.published_day is 'The publication day the publisher states, in the page''s own time zone (a URL''s /2023/11/08/ wins over a UTC stamp one day away); null when the page states none or the article was loaded before warehouse version 10.';
comment on column articles.published_offset_min is 'The UTC offset of the publisher''s stamp in minutes (e.g. 540 for +09:00); null when the stamp has no zone.';
comment on column articles.trend_day is 'The day this article counts on in trends: published_day (trend_day setting ''stated'', the default) or the UTC day of published_at (''utc''); the fetch day when the page states none. Kept by each load.';

create table urls_unkeyed (
    url varchar not null,
    state varchar not null,
    detail varchar,
    http_status integer,
    final_url varchar,
    article_id varchar,
    relation varchar,
    hops integer,
    discovered_from varchar,
    first_seen_at timestamp not null,
    last_checked_at timestamp,
    run_id varchar not null,
    etag varchar,
    last_modified varchar,
    raw_sha256 varchar,
    content_type varchar,
    last_changed_at timestamp,
    next_due_at timestamp,
    fetches integer default 0,
    is_feed boolean default false,
    search_provider varchar,
    search_query varchar
);

insert into urls_unkeyed
select * from urls;

drop table urls;

alter table urls_unkeyed rename to urls;

comment on table urls is 'The crawl ledger and frontier: one row per URL ever discovered (unique: checked by every load; no index), with the state it ended in and when it is due again.';
comment on column urls.url is 'Canonical spelling of the discovered URL (the key).';
comment on column urls.state is 'Ledger state: stored, unchanged (304 or same text), gone (removed by the site), irrelevant, duplicate, not_article, robots_disallowed, blocked, failed, queued (cut by the budget, first next time), feed.';
comment on column urls.detail is 'The reason for the state, in words.';
comment on column urls.http_status is 'HTTP status of the last fetch.';
comment on column urls.final_url is 'URL after redirects.';
comment on column urls.article_id is 'The article this URL is (or duplicates).';
comment on column urls.relation is 'How it was found: seed, linked, feed, sitemap or search.';
comment on column urls.hops is 'Link hops from a seed.';
comment on column urls.discovered_from is 'The page, feed, sitemap or search request it was found in.';
comment on column urls.first_seen_at is 'When it was first discovered, UTC.';
comment on column urls.last_checked_at is 'Last fetch, UTC; null: discovered, never fetched.';
comment on column urls.run_id is 'The run that last wrote this row.';
comment on column urls.etag is 'ETag of the last response (for the next conditional GET).';
comment on column urls.last_modified is 'Last-Modified of the last response (for the next conditional GET).';
comment on column urls.raw_sha256 is 'sha256 of the last body kept under data_dir/raw.';
comment on column urls.content_type is 'Content-Type of the last response.';
comment on column urls.last_changed_at is 'Last fetch whose body differed from the one before, UTC.';
comment on column urls.next_due_at is 'Next scheduled revisit, UTC; null: none scheduled.';
comment on column urls.fetches is 'How many times it was fetched.';
comment on column urls.is_feed is 'Whether it is a feed or sitemap (revisited for new items).';
comment on column urls.search_provider is 'The search source that found it (gdelt, rss); null otherwise.';
comment on column urls.search_query is 'The query sent to that search source.';

create table article_signatures_unkeyed (
    article_id varchar not null,
    minhash blob,
    keywords varchar[] not null,
    article_at timestamp
);

insert into article_signatures_unkeyed
select * from article_signatures;

drop table article_signatures;

alter table article_signatures_unkeyed rename to article_signatures;

comment on table article_signatures is 'One row per article (checked by every load; no index): the MinHash of its text (near-duplicates) and its salient words (stories).';
comment on column article_signatures.article_id is 'The article (articles.article_id).';
comment on column article_signatures.minhash is 'MinHash of word 5-shingles: 128 x uint32, little-endian (datasketch, affine32, seed 1).';
comment on column article_signatures.keywords is 'Its 30 most frequent non-stop words of 4+ letters, most frequent first.';
comment on column article_signatures.article_at is 'The article''s time (published, else fetched), so loads read their window''s signatures only (rows are stored in about this order).';

create table stories_unkeyed (
    story_id varchar not null,
    first_seen_at timestamp not null,
    last_seen_at timestamp not null,
    size integer not null,
    copies integer not null,
    outlets integer not null,
    label varchar not null,
    top_entities varchar[] not null
);

insert into stories_unkeyed
select * from stories;

drop table stories;

alter table stories_unkeyed rename to stories;

comment on table stories is 'One row per story (event; story_id unique: checked by every load; no index): related articles grouped by shared entities and words. Per day: story_timeline; per outlet: story_outlets.';
comment on column stories.story_id is 'Story key: the article_id of the article that started it.';
comment on column stories.first_seen_at is 'Earliest member''s publication time (else fetch time), UTC.';
comment on column stories.last_seen_at is 'Latest member''s publication time (else fetch time), UTC.';
comment on column stories.size is 'Member articles, near-duplicate copies counted once.';
comment on column stories.copies is 'Member articles, every near-duplicate copy counted.';
comment on column stories.outlets is 'Distinct outlets among all members.';
comment on column stories.label is 'Readable label: its top entities by summed salience, e.g. Xi Jinping · Vladimir Putin.';
comment on column stories.top_entities is 'Its top entities by summed salience, most first.';
