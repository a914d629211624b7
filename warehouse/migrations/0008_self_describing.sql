-- newsmon warehouse, version 8: a warehouse that explains itself. Every table, view, macro and column
-- carries a COMMENT (any SQL client shows it: `select * from duckdb_columns()`, DBeaver, Metabase);
-- counts are BIGINT (a sum of counts was HUGEINT, which pandas turns into floats); one entity resolver
-- (canonical name, alias or short form, any case, with close-match suggestions) behind cooccurrence,
-- entity_timeline, `newsmon trends` and the dashboard; views that say who published an article and why
-- it is here; and a log of publications, so a reader can tell that the snapshot was replaced.

-- Counts as BIGINT --------------------------------------------------------------------------------

alter table entity_daily_mart alter column mentions type bigint;

create or replace view entity_daily as
with article_days as (
    select
        article_id,
        cast(coalesce(published_at, fetched_at) as date) as day
    from articles
    where duplicate_of is null
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
        cast(sum(mentions) as bigint) as mentions,
        cast(sum(articles) as bigint) as articles,
        round(sum(salience), 4) as salience
    from daily
    group by all
)

select * from final;

create or replace view story_entity_daily as
with members as (
    select
        article_id,
        story_id,
        cast(coalesce(published_at, fetched_at) as date) as day
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
        cast(coalesce(sum(d.articles) filter (where d.day > p.as_of - p.recent_days), 0) as bigint) as recent_articles,
        cast(coalesce(sum(d.articles) filter (where d.day <= p.as_of - p.recent_days), 0) as bigint)
            as baseline_articles,
        cast(coalesce(sum(d.mentions) filter (where d.day > p.as_of - p.recent_days), 0) as bigint) as recent_mentions
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

-- Outlets -----------------------------------------------------------------------------------------

create macro outlet(site_name, url) as
    coalesce(nullif(trim(site_name), ''), regexp_extract(url, '^https?://([^/]+)', 1));

create macro found_via(relation, related_via, hops, search_provider, search_query) as
    case relation
        when 'seed' then 'seed'
        when 'linked' then 'linked from ' || coalesce(related_via, 'a related page')
            || ' (' || coalesce(hops, 1) || ' hop' || case when coalesce(hops, 1) = 1 then '' else 's' end || ')'
        when 'feed' then 'feed ' || coalesce(related_via, '')
        when 'sitemap' then 'sitemap ' || coalesce(related_via, '')
        when 'search' then coalesce(search_provider || ' search: ' || search_query, 'search ' || coalesce(related_via, ''))
        else relation
    end;

-- One entity resolver ------------------------------------------------------------------------------

create macro entity_matches(query) as table
with wanted as (
    select lower(trim(cast(query as varchar))) as q
),

by_name as (
    select
        e.entity_id,
        1 as rank,
        'name' as matched_on
    from entities as e, wanted as w
    where lower(e.name) = w.q
),

by_alias as (
    select
        a.entity_id,
        case when lower(a.alias) = w.q then 2 else 3 end as rank,
        case when lower(a.alias) = w.q then 'alias' else 'short form' end as matched_on
    from entity_aliases as a, wanted as w
    where lower(a.alias) = w.q or lower(a.name_form) = w.q
),

ranked as (
    select
        entity_id,
        min(rank) as rank,
        arg_min(matched_on, rank) as matched_on
    from (select * from by_name union all select * from by_alias)
    group by entity_id
),

final as (
    select
        e.entity_id,
        e.name,
        e.type,
        r.matched_on,
        coalesce(t.articles, 0) as articles
    from ranked as r
    inner join entities as e on e.entity_id = r.entity_id
    left join entity_totals as t on t.entity_id = r.entity_id
    order by r.rank, coalesce(t.articles, 0) desc, e.name
)

select * from final;

create macro entity_suggestions(query, n := 5) as table
with wanted as (
    select lower(trim(cast(query as varchar))) as q
),

spellings as (
    select
        entity_id,
        name as spelling
    from entities
    union all
    select
        entity_id,
        alias as spelling
    from entity_aliases
),

scored as (
    select
        s.entity_id,
        max(case
            when length(w.q) >= 3 and contains(lower(s.spelling), w.q) then 0.9 + 0.1 * length(w.q) / length(s.spelling)
            else jaro_winkler_similarity(lower(s.spelling), w.q)
        end) as similarity
    from spellings as s, wanted as w
    where length(w.q) > 0
    group by s.entity_id
),

final as (
    select
        e.entity_id,
        e.name,
        e.type,
        round(sc.similarity, 3) as similarity,
        coalesce(t.articles, 0) as articles
    from scored as sc
    inner join entities as e on e.entity_id = sc.entity_id
    left join entity_totals as t on t.entity_id = sc.entity_id
    where sc.similarity >= 0.85
    order by sc.similarity desc, coalesce(t.articles, 0) desc, e.name
    limit cast(n as integer)
)

select * from final;

create macro resolve_entity(query) as table
with matches as (
    select * from entity_matches(query) limit 1
),

guard as (
    select case
        when exists (select 1 from matches) then true
        else error('no entity named ''' || cast(query as varchar) || ''''
                   || coalesce('; did you mean: ' || (select string_agg(name, ', ' order by similarity desc, articles desc)
                                                      from entity_suggestions(query)) || '?', ''))
    end as found
)

select m.* from matches as m, guard as g where g.found;

-- Articles per publication day (the denominator of an entity's share of the day).
create view articles_daily as
with days as (
    select
        cast(coalesce(published_at, fetched_at) as date) as day,
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

-- Co-occurrence, restated to resolve its entity (an alias or a short form works; an unknown name is an error),
-- and to read less: the target's articles first, the other entities' counts from the mart.
create or replace macro cooccurrence(entity_name, min_articles := 1, since := null) as table
with target as (
    select entity_id from resolve_entity(entity_name)
),

representatives as (
    select article_id
    from articles
    where duplicate_of is null
        and (cast(since as date) is null or cast(coalesce(published_at, fetched_at) as date) >= cast(since as date))
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

-- Days, outlets and reasons -------------------------------------------------------------------------

create macro entity_timeline(entity_name, start_day := null, end_day := null) as table
with target as (
    select entity_id, name from resolve_entity(entity_name)
),

bounds as (
    select
        coalesce(cast(start_day as date),
                 (select min(day) from entity_daily_mart where entity_id = (select entity_id from target))) as lo,
        coalesce(cast(end_day as date), (select max(day) from articles_daily)) as hi
),

days as (
    select cast(unnest(range(lo, hi + 1, interval 1 day)) as date) as day
    from bounds
    where lo <= hi
),

series as (
    select
        day,
        mentions,
        articles
    from entity_daily_mart
    where entity_id = (select entity_id from target)
),

final as (
    select
        d.day,
        (select name from target) as name,
        coalesce(s.mentions, 0) as mentions,
        coalesce(s.articles, 0) as articles,
        coalesce(a.articles, 0) as day_articles,
        case when coalesce(a.articles, 0) = 0 then 0.0 else round(coalesce(s.articles, 0) / a.articles, 4) end as share
    from days as d
    left join series as s on s.day = d.day
    left join articles_daily as a on a.day = d.day
)

select * from final order by day;

create view article_list as
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
        cast(coalesce(a.published_at, a.fetched_at) as date) as day,
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

create view story_outlets as
with members as (
    select
        story_id,
        outlet(site_name, canonical_url) as outlet,
        coalesce(published_at, fetched_at) as published_at,
        duplicate_of
    from articles
    where story_id is not null
),

per_outlet as (
    select
        story_id,
        outlet,
        min(published_at) as first_published_at,
        count(*) as articles,
        count(*) filter (where duplicate_of is not null) as copies
    from members
    group by all
),

final as (
    select
        story_id,
        outlet,
        first_published_at,
        articles,
        copies,
        rank() over (partition by story_id order by first_published_at) as publish_order,
        round(date_diff('minute', min(first_published_at) over (partition by story_id), first_published_at) / 60.0, 2)
            as hours_after_first
    from per_outlet
)

select * from final;

create table publications (
    published_at timestamp not null,
    run_id varchar,
    articles bigint not null
);

-- Comments: tables --------------------------------------------------------------------------------

comment on table articles is 'One row per stored article (every copy of a story included; duplicate_of marks near-duplicate copies). Key: article_id. Who published it and why it is here, in words: view article_list.';
comment on column articles.article_id is 'Article key: first 16 hex digits of sha1(canonical_url).';
comment on column articles.url is 'The URL it was fetched from.';
comment on column articles.canonical_url is 'The page''s canonical URL (rel=canonical), its identity; unique.';
comment on column articles.title is 'Headline as published (text, never markup).';
comment on column articles.authors is 'Bylines found on the page, in order.';
comment on column articles.published_at is 'Publication time, UTC; null when the page states none (then fetched_at counts).';
comment on column articles.published_source is 'Where published_at came from: json-ld, meta, time, url or htmldate.';
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

comment on table entities is 'One row per canonical entity (a person, place, organisation, group), aliases folded in: "Mr Xi" and "President Xi" are Xi Jinping. Find one by any spelling: entity_matches(''xi'').';
comment on column entities.entity_id is 'Entity key: first 16 hex digits of sha1(type|casefolded name).';
comment on column entities.name is 'Canonical name, e.g. Xi Jinping.';
comment on column entities.type is 'spaCy label: PERSON, ORG, GPE (countries, cities), LOC, NORP (nationalities, groups), EVENT, ...';
comment on column entities.first_seen_at is 'When newsmon first met it, UTC.';
comment on column entities.country_code is 'ISO 3166 alpha-2 code of a country, city or demonym (GPE, LOC, NORP).';
comment on column entities.geonames_id is 'GeoNames id of a country or an unambiguous city.';

comment on table entity_aliases is 'Every spelling an entity was written with (the entity resolver reads it): Mr Xi, President Xi, Xi -> Xi Jinping.';
comment on column entity_aliases.entity_id is 'The canonical entity (entities.entity_id).';
comment on column entity_aliases.alias is 'A surface form as written, e.g. Mr Xi.';
comment on column entity_aliases.name_form is 'The alias without titles and possessives, e.g. Xi.';
comment on column entity_aliases.first_seen_at is 'When this spelling was first met, UTC.';

comment on table mentions is 'Every mention of an entity in an article''s text, with its offsets.';
comment on column mentions.article_id is 'The article (articles.article_id).';
comment on column mentions.entity_id is 'The canonical entity (entities.entity_id).';
comment on column mentions.surface is 'The text as written, e.g. Mr Xi.';
comment on column mentions.start_char is 'Offset of the first character in articles.text.';
comment on column mentions.end_char is 'Offset after the last character in articles.text.';
comment on column mentions.label is 'The model''s label for this mention (PERSON, ORG, GPE, ...).';

comment on table article_entities is 'One row per article and entity it mentions: how often, where first, and how central (salience).';
comment on column article_entities.article_id is 'The article (articles.article_id).';
comment on column article_entities.entity_id is 'The canonical entity (entities.entity_id).';
comment on column article_entities.mentions is 'Mentions in the article''s text.';
comment on column article_entities.first_char is 'Offset of the first mention in articles.text.';
comment on column article_entities.in_headline is 'Whether the headline names it.';
comment on column article_entities.salience is 'How central the entity is to the article, 0 to 1: 0.4 headline + 0.3 earliness + 0.3 share of mentions.';

comment on table article_signatures is 'Per article: the MinHash of its text (near-duplicates) and its salient words (stories).';
comment on column article_signatures.article_id is 'The article (articles.article_id).';
comment on column article_signatures.minhash is 'MinHash of word 5-shingles: 128 x uint32, little-endian (datasketch, affine32, seed 1).';
comment on column article_signatures.keywords is 'Its 30 most frequent non-stop words of 4+ letters, most frequent first.';

comment on table stories is 'One row per story (event): related articles grouped by shared entities and words. Per day: story_timeline; per outlet: story_outlets.';
comment on column stories.story_id is 'Story key: the article_id of the article that started it.';
comment on column stories.first_seen_at is 'Earliest member''s publication time (else fetch time), UTC.';
comment on column stories.last_seen_at is 'Latest member''s publication time (else fetch time), UTC.';
comment on column stories.size is 'Member articles, near-duplicate copies counted once.';
comment on column stories.copies is 'Member articles, every near-duplicate copy counted.';
comment on column stories.outlets is 'Distinct outlets among all members.';
comment on column stories.label is 'Readable label: its top entities by summed salience, e.g. Xi Jinping · Vladimir Putin.';
comment on column stories.top_entities is 'Its top entities by summed salience, most first.';

comment on table urls is 'The crawl ledger and frontier: one row per URL ever discovered, with the state it ended in and when it is due again.';
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

comment on table searches is 'Every search request a run made: provider, query, outcome and number of results.';
comment on column searches.run_id is 'The run that asked.';
comment on column searches.provider is 'gdelt or rss.';
comment on column searches.endpoint is 'The request URL (credentials masked).';
comment on column searches.query is 'The query sent.';
comment on column searches.requested_at is 'When it was asked, UTC.';
comment on column searches.state is 'ok or failed.';
comment on column searches.http_status is 'HTTP status of the answer.';
comment on column searches.results is 'Result URLs the provider returned.';
comment on column searches.detail is 'What happened, in words.';

comment on table entity_daily_mart is 'entity_daily materialised: mentions and articles per entity and publication day (copies counted once); each load refreshes the days it touched. Query this for trends.';
comment on column entity_daily_mart.day is 'Publication day (UTC; fetch day when the page states none).';
comment on column entity_daily_mart.entity_id is 'The canonical entity (entities.entity_id).';
comment on column entity_daily_mart.name is 'Canonical name.';
comment on column entity_daily_mart.type is 'Entity type (PERSON, ORG, GPE, ...).';
comment on column entity_daily_mart.mentions is 'Mentions in that day''s articles.';
comment on column entity_daily_mart.articles is 'Articles of that day that mention it (copies counted once).';
comment on column entity_daily_mart.salience is 'Sum of its salience over those articles: coverage weighted by how central it is.';

comment on table entity_totals is 'Per entity over all days: mentions, articles, first and last day (from entity_daily_mart; refreshed by each load).';
comment on column entity_totals.entity_id is 'The canonical entity (entities.entity_id).';
comment on column entity_totals.name is 'Canonical name.';
comment on column entity_totals.type is 'Entity type.';
comment on column entity_totals.mentions is 'Mentions in all articles (copies counted once).';
comment on column entity_totals.articles is 'Articles that mention it (copies counted once).';
comment on column entity_totals.first_day is 'First publication day with a mention.';
comment on column entity_totals.last_day is 'Last publication day with a mention.';

comment on table alerts is 'Alerts raised by the entity_trends DAG after each published cycle (rising entities, new related articles), each raised once.';
comment on column alerts.alert_id is 'Alert key: rising:<entity_id>:<day> or article:<article_id>.';
comment on column alerts.kind is 'rising or new_article.';
comment on column alerts.entity_id is 'The rising entity (kind rising).';
comment on column alerts.article_id is 'The new article (kind new_article).';
comment on column alerts.message is 'The alert in words.';
comment on column alerts.payload is 'What was posted to the webhook (JSON).';
comment on column alerts.raised_at is 'When it was raised, UTC.';
comment on column alerts.delivery is 'logged, posted, or failed: <reason>.';

comment on table load_log is 'One row per load: articles and ledger rows written, mart days refreshed.';
comment on column load_log.run_id is 'The run that loaded.';
comment on column load_log.loaded_at is 'When the load committed, UTC.';
comment on column load_log.articles is 'Articles stored (new or changed).';
comment on column load_log.urls is 'Ledger rows written.';
comment on column load_log.days is 'Publication days whose mart rows were refreshed.';

comment on table publications is 'One row per publication of the readers'' snapshot (after a cycle''s checks passed). A reader that keeps a connection open sees the snapshot it opened: compare max(published_at) and reconnect.';
comment on column publications.published_at is 'When this snapshot was published, UTC.';
comment on column publications.run_id is 'The run whose cycle it publishes (null for a manual publish).';
comment on column publications.articles is 'Articles in the warehouse at that moment (every copy).';

comment on table schema_migrations is 'Schema migrations applied to this warehouse, with each file''s checksum (migrations are immutable).';
comment on column schema_migrations.version is 'Migration number.';
comment on column schema_migrations.name is 'Migration file name.';
comment on column schema_migrations.applied_at is 'When it was applied, UTC.';
comment on column schema_migrations.checksum is 'sha256 of the file as applied.';

-- Comments: views -----------------------------------------------------------------------------------

comment on view entity_daily is 'Mentions and articles per entity and publication day, copies counted once, computed live (entity_daily_mart holds the same rows, faster).';
comment on column entity_daily.day is 'Publication day (UTC; fetch day when the page states none).';
comment on column entity_daily.entity_id is 'The canonical entity.';
comment on column entity_daily.name is 'Canonical name.';
comment on column entity_daily.type is 'Entity type.';
comment on column entity_daily.mentions is 'Mentions in that day''s articles.';
comment on column entity_daily.articles is 'Articles of that day that mention it.';
comment on column entity_daily.salience is 'Sum of its salience over those articles.';

comment on view entity_weekly is 'entity_daily_mart summed by ISO week (weeks start on Monday).';
comment on column entity_weekly.week is 'Monday of the week.';
comment on column entity_weekly.entity_id is 'The canonical entity.';
comment on column entity_weekly.name is 'Canonical name.';
comment on column entity_weekly.type is 'Entity type.';
comment on column entity_weekly.mentions is 'Mentions that week.';
comment on column entity_weekly.articles is 'Article-days that mention it that week (an article counts on its publication day).';
comment on column entity_weekly.salience is 'Sum of its salience that week.';

comment on view story_entity_daily is 'Per story, day and entity: mentions and articles (copies counted once). Behind newsmon trends --story.';
comment on column story_entity_daily.story_id is 'The story (stories.story_id).';
comment on column story_entity_daily.day is 'Publication day.';
comment on column story_entity_daily.entity_id is 'The canonical entity.';
comment on column story_entity_daily.name is 'Canonical name.';
comment on column story_entity_daily.type is 'Entity type.';
comment on column story_entity_daily.mentions is 'Mentions in the story''s articles that day.';
comment on column story_entity_daily.articles is 'The story''s articles that day that mention it.';
comment on column story_entity_daily.salience is 'Sum of its salience over those articles.';

comment on view story_timeline is 'A story''s coverage per publication day: articles (copies once), every copy, and outlets.';
comment on column story_timeline.story_id is 'The story (stories.story_id).';
comment on column story_timeline.label is 'The story''s label.';
comment on column story_timeline.day is 'Publication day.';
comment on column story_timeline.articles is 'Articles that day, copies counted once.';
comment on column story_timeline.copies is 'Articles that day, every copy counted.';
comment on column story_timeline.outlets is 'Outlets that published that day.';

comment on view story_outlets is 'Per story and outlet: when the outlet first published it and in which order (1 = first to publish).';
comment on column story_outlets.story_id is 'The story (stories.story_id).';
comment on column story_outlets.outlet is 'The outlet (site name, else host).';
comment on column story_outlets.first_published_at is 'The outlet''s first article of the story, UTC.';
comment on column story_outlets.articles is 'The outlet''s articles in the story, copies included.';
comment on column story_outlets.copies is 'Of those, near-duplicate copies of an earlier article.';
comment on column story_outlets.publish_order is '1 for the first outlet to publish the story, 2 for the next, ...';
comment on column story_outlets.hours_after_first is 'Hours after the story''s first article.';

comment on view coverage_daily is 'Articles per outlet and publication day, every copy counted (an outlet''s copy of a wire story is its coverage).';
comment on column coverage_daily.day is 'Publication day.';
comment on column coverage_daily.source is 'The outlet (site name, else host).';
comment on column coverage_daily.articles is 'Its articles that day.';

comment on view articles_daily is 'Articles per publication day: the denominator of an entity''s share of the day''s coverage.';
comment on column articles_daily.day is 'Publication day.';
comment on column articles_daily.articles is 'Articles that day, copies counted once.';
comment on column articles_daily.copies is 'Articles that day, every copy counted.';
comment on column articles_daily.outlets is 'Outlets that published that day.';

comment on view article_list is 'One row per article with its outlet, why it is here (found_via), the seed entities it shares, its story and whether it is a copy, updated or removed.';
comment on column article_list.article_id is 'The article (articles.article_id).';
comment on column article_list.day is 'Publication day.';
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

comment on view related_timeline is 'Each stored article with the seed it traces back to and how (seed, linked through which pages, feed, sitemap, search).';
comment on column related_timeline.seed_title is 'Title of the seed it traces back to (linked articles); null for items found by feed, sitemap or search.';
comment on column related_timeline.title is 'Headline.';
comment on column related_timeline.canonical_url is 'Canonical URL.';
comment on column related_timeline.published_at is 'Publication time, UTC.';
comment on column related_timeline.relation is 'seed, linked, feed, sitemap or search.';
comment on column related_timeline.hops is 'Link hops from the seed.';
comment on column related_timeline.relevance is 'Relevance to the seeds (feed, sitemap and search items).';
comment on column related_timeline.related_via is 'The page, feed, sitemap or search request it was found in.';

comment on view crawl_health_daily is 'Crawl ledger (urls) per day of last check and state.';
comment on column crawl_health_daily.day is 'Day of the last check (null: never fetched yet).';
comment on column crawl_health_daily.state is 'Ledger state.';
comment on column crawl_health_daily.urls is 'URLs in that state.';

comment on view crawl_failures is 'Failed, blocked and robots-disallowed URLs grouped by reason (numbers and URLs in the reason masked).';
comment on column crawl_failures.reason is 'The reason, with URLs and numbers replaced by an ellipsis.';
comment on column crawl_failures.urls is 'URLs that failed for it.';
comment on column crawl_failures.example_url is 'One of them.';

comment on view person_alias_merges is 'One-word PERSON entities folded into the one full name they are the short form of (applied by each load).';
comment on column person_alias_merges.from_id is 'The short-form entity (e.g. Putin).';
comment on column person_alias_merges.to_id is 'The full-name entity it is folded into (e.g. Vladimir Putin).';

-- Comments: macros ----------------------------------------------------------------------------------

comment on macro outlet is 'outlet(site_name, url): the outlet an article belongs to: its site name, else its URL''s host.';
comment on macro found_via is 'found_via(relation, related_via, hops, search_provider, search_query): why an article is here, in words (seed; linked from <page> (1 hop); feed <url>; sitemap <url>; gdelt search: <query>).';
comment on macro table entity_matches is 'entity_matches(query): the entities a spelling names, any case: canonical name first, then alias (Mr Xi), then short form (Xi); most articles first.';
comment on macro table entity_suggestions is 'entity_suggestions(query, n := 5): entities spelled like query (a typo such as Tawian -> Taiwan, or part of a name), most similar first.';
comment on macro table resolve_entity is 'resolve_entity(query): the one entity a name, alias or short form means (any case); an error naming close spellings when none matches.';
comment on macro table cooccurrence is 'cooccurrence(entity, min_articles := 1, since := null): entities in the same articles as entity (any spelling), with shared articles, lift = P(both)/(P(a)P(b)) and PMI = log2(lift); copies counted once.';
comment on macro table rising_entities is 'rising_entities(recent_days := 7, baseline_days := 28, min_articles := 3, as_of := null): entities whose article count in the recent window rose against the baseline before it; ratio = (recent+1)/(expected+1), z = (recent-expected)/sqrt(expected+1).';
comment on macro table entity_timeline is 'entity_timeline(entity, start_day := null, end_day := null): one row per day in the range, zero-filled: mentions, articles, the day''s articles and the entity''s share of them.';
