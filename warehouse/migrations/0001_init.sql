-- newsmon warehouse, version 1: articles, entities, mentions, the URL ledger and entity_daily.
-- All timestamps are UTC (timestamp without time zone).

create table articles (
    article_id varchar primary key,        -- first 16 hex of sha1(canonical_url)
    url varchar not null,                  -- the URL it was fetched from
    canonical_url varchar not null,        -- the page's rel=canonical (its identity; checked unique)
    title varchar not null,
    authors varchar[] not null,
    published_at timestamp,
    published_source varchar,              -- json-ld, meta, time, url, htmldate
    modified_at timestamp,
    modified_source varchar,
    fetched_at timestamp not null,
    language varchar,
    site_name varchar,
    text varchar not null,
    word_count integer not null,
    relation varchar not null,             -- seed, linked or feed
    hops integer,                          -- link hops from a seed (0 for a seed, null for feed)
    relevance double,                      -- relevance score to the seeds (feed items; null otherwise)
    related_via varchar,                   -- page that linked it, or the feed it came from
    raw_sha256 varchar not null            -- raw bytes in data_dir/raw
);

create table entities (
    entity_id varchar primary key,         -- first 16 hex of sha1(type|casefolded name)
    name varchar not null,                 -- canonical name, e.g. Xi Jinping
    type varchar not null,                 -- spaCy label: PERSON, ORG, GPE, ...
    first_seen_at timestamp not null
);

create table mentions (
    article_id varchar not null,
    entity_id varchar not null,
    surface varchar not null,              -- the text as written, e.g. Mr Xi
    start_char integer not null,           -- offsets into articles.text
    end_char integer not null,
    label varchar not null,                -- the model's label for this mention
    primary key (article_id, start_char)
);

create table urls (
    url varchar primary key,               -- canonical spelling of the discovered URL
    state varchar not null,                -- stored, unchanged, irrelevant, duplicate, not_article,
                                           -- robots_disallowed, blocked, failed, skipped, feed
    detail varchar,                        -- the reason, in words
    http_status integer,
    final_url varchar,                     -- after redirects
    article_id varchar,                    -- the article this URL is (or duplicates)
    relation varchar,                      -- seed, linked, feed
    hops integer,
    discovered_from varchar,
    first_seen_at timestamp not null,
    last_checked_at timestamp not null,
    run_id varchar not null
);

create view entity_daily as
with article_days as (
    select
        article_id,
        cast(coalesce(published_at, fetched_at) as date) as day
    from articles
),

final as (
    select
        d.day,
        m.entity_id,
        e.name,
        e.type,
        count(*) as mentions,
        count(distinct m.article_id) as articles
    from mentions as m
    inner join article_days as d on d.article_id = m.article_id
    inner join entities as e on e.entity_id = m.entity_id
    group by all
)

select * from final;

-- Trend mart refreshed by the entity_trends DAG (warehouse/sql/marts/entity_totals.sql).
create table entity_totals (
    entity_id varchar primary key,
    name varchar not null,
    type varchar not null,
    mentions bigint not null,
    articles bigint not null,              -- articles mentioning it
    first_day date not null,
    last_day date not null
);
