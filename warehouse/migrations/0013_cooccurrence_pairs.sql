-- newsmon warehouse, version 13: co-occurrence from pair counts. cooccurrence() used to read every
-- article_entities row of the entity's articles and then every row of theirs again, so its time grew with the
-- warehouse (0.9 s at a million articles, most of it reading 20 million rows twice). Pairs are now counted
-- once, per day, by the load: entity_pairs_mart holds, for each day and ordered pair of entities, the articles
-- in which both are among the article's most salient (its story keys, at most 8), and entity_salient_mart each
-- entity's such articles per day. A load rewrites the days it touched, like entity_daily_mart. Counting every
-- pair of every mention is not affordable (an article with 20 entities has 380 ordered pairs; its 8 most
-- salient have 56, and those are the ones an analyst means by "mentioned alongside"); the former macro stays
-- as cooccurrence_all, for every mention on small windows. story_keys gains the entity's id so the pairs name
-- entities, not lower-cased names; the table is rebuilt here the way a load keys an article. The marts read
-- by entity are stored in entity order month by month (setting marts_sorted_before). resolve_entity no
-- longer scores every spelling for suggestions when the name matches.

create table story_keys_by_entity (
    article_at timestamp not null,
    article_id varchar not null,
    rank utinyint not null,
    key varchar not null,
    entity_id varchar not null
);

insert into story_keys_by_entity
with ranked as (
    select
        ae.article_id,
        ae.entity_id,
        lower(e.name) as key,
        row_number() over (partition by ae.article_id order by ae.salience desc, e.name) as rank
    from article_entities as ae
    inner join entities as e on e.entity_id = ae.entity_id
)

select
    coalesce(a.published_at, a.fetched_at) as article_at,
    r.article_id,
    cast(r.rank as utinyint) as rank,
    r.key,
    r.entity_id
from ranked as r
inner join articles as a on a.article_id = r.article_id
where r.rank <= 8
order by article_at, r.article_id, r.rank;

drop table story_keys;

alter table story_keys_by_entity rename to story_keys;

-- The salient entities of the representatives (copies count once) counting on the given days (null: every
-- day). Joined on the article's time too, so a load's days read only their rows of story_keys (DuckDB skips
-- the row groups outside the time range of those articles).
create macro salient_entities_of(days) as table
with day_articles as (
    select
        article_id,
        coalesce(published_at, fetched_at) as article_at,
        trend_day as day
    from articles
    where duplicate_of is null
        and (days is null or list_contains(days, trend_day))
)

select
    d.day,
    k.article_id,
    k.entity_id
from story_keys as k
inner join day_articles as d on d.article_id = k.article_id and d.article_at = k.article_at;

create macro entity_pairs_of(days) as table
with salient as (
    select * from salient_entities_of(days)
)

select
    a.day,
    a.entity_id,
    b.entity_id as other_id,
    cast(count(*) as integer) as articles
from salient as a
inner join salient as b on b.article_id = a.article_id and b.entity_id <> a.entity_id
group by a.day, a.entity_id, b.entity_id;

create macro entity_salient_of(days) as table
select
    day,
    entity_id,
    cast(count(*) as integer) as articles
from salient_entities_of(days)
group by day, entity_id;

-- Rows in entity order within each insert: an entity's rows of a day (or of a month sorted at once) sit in one
-- or two row groups, which DuckDB finds by their min/max.
create table entity_pairs_mart as
select * from entity_pairs_of(null)
order by entity_id, other_id, day;

create table entity_salient_mart as
select * from entity_salient_of(null)
order by day, entity_id;

alter table entity_totals add column salient_articles bigint not null default 0;

update entity_totals as t set salient_articles = s.articles
from (select entity_id, sum(articles) as articles from entity_salient_mart group by entity_id) as s
where s.entity_id = t.entity_id;

-- entity_daily_mart in entity order too (the loads appended each day they touched), and from here on the
-- loads keep both in that order month by month (warehouse.trends.sort_closed_months)
create temp table daily_by_entity as select * from entity_daily_mart order by entity_id, day;

delete from entity_daily_mart;

insert into entity_daily_mart select * from daily_by_entity order by entity_id, day;

drop table daily_by_entity;

insert into warehouse_settings
select 'marts_sorted_before', coalesce(cast(cast(date_trunc('month', max(day)) as date) as varchar), '')
from entity_daily_mart;

create macro cooccurrence_all(entity_name, min_articles := 1, since := null) as table
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


-- The resolver behind every macro that takes a name: close spellings are scored (jaro-winkler over every
-- entity and alias) only when no entity matches, for the error; before, every call scored them.
create or replace macro resolve_entity(query) as table
with matches as (
    select * from entity_matches(query) limit 1
),

unmatched as (
    select case when exists (select 1 from matches) then '' else cast(query as varchar) end as q
),

guard as (
    select case
        when exists (select 1 from matches) then true
        else error('no entity named ''' || cast(query as varchar) || ''''
                   || coalesce('; did you mean: ' || (select string_agg(name, ', ' order by similarity desc, articles desc)
                                                      from entity_suggestions((select q from unmatched))) || '?', ''))
    end as found
)

select m.* from matches as m, guard as g where g.found;

comment on macro table resolve_entity is 'resolve_entity(query): the one entity a name, alias or short form means (any case); an error naming close spellings when none matches.';

create or replace macro cooccurrence(entity_name, min_articles := 1, since := null) as table
with target as (
    select entity_id from resolve_entity(entity_name)
),

together as (
    select
        other_id as entity_id,
        cast(sum(articles) as bigint) as articles_together
    from entity_pairs_mart
    where entity_id = (select entity_id from target)
        and (cast(since as date) is null or day >= cast(since as date))
    group by other_id
),

named as (
    select entity_id from together
    union all
    select entity_id from target
),

-- every day: the per-entity totals; since a day: the daily counts of those days (stored in day order)
salient as (
    select
        entity_id,
        salient_articles as articles
    from entity_totals
    where cast(since as date) is null
        and entity_id in (select entity_id from named)
    union all
    select
        entity_id,
        cast(sum(articles) as bigint) as articles
    from entity_salient_mart
    where cast(since as date) is not null
        and day >= cast(since as date)
        and entity_id in (select entity_id from named)
    group by entity_id
),

sizes as (
    select
        (select count(*) from articles
         where duplicate_of is null and (cast(since as date) is null or trend_day >= cast(since as date)))
            as n_articles,
        (select articles from salient where entity_id = (select entity_id from target)) as n_target
),

final as (
    select
        e.name,
        e.type,
        t.articles_together,
        o.articles as articles_with_other,
        s.n_target as articles_with_entity,
        round(t.articles_together * s.n_articles / (s.n_target * o.articles), 3) as lift,
        round(log2(t.articles_together * s.n_articles / (s.n_target * o.articles)), 3) as pmi
    from together as t
    inner join salient as o on o.entity_id = t.entity_id
    inner join entities as e on e.entity_id = t.entity_id
    cross join sizes as s
    where t.articles_together >= cast(min_articles as integer)
)

select * from final order by articles_together desc, lift desc, name;

comment on macro table cooccurrence is 'cooccurrence(entity, min_articles := 1, since := null): entities among the most salient of the same articles as entity (any spelling): shared articles, lift = P(both)/(P(a)P(b)) and PMI = log2(lift), every count over articles where the entity is one of the article''s 8 most salient (story_keys); copies counted once. From entity_pairs_mart: fast at any size. For every mention, cooccurrence_all.';
comment on macro table cooccurrence_all is 'cooccurrence_all(entity, min_articles := 1, since := null): cooccurrence over every mention, not just the 8 most salient entities of each article; reads every entity row of the window''s articles (seconds on millions of articles).';
comment on macro table salient_entities_of is 'salient_entities_of(days): (day, article_id, entity_id) of the story keys of the representatives counting on those days (null: all).';
comment on macro table entity_pairs_of is 'entity_pairs_of(days): entity_pairs_mart''s definition, for those days (null: all).';
comment on macro table entity_salient_of is 'entity_salient_of(days): entity_salient_mart''s definition, for those days (null: all).';
comment on table entity_pairs_mart is 'Per day and ordered pair of entities (both orders stored): representatives in which both are among the article''s 8 most salient entities (story_keys). Rewritten for the days a load touches; read by cooccurrence().';
comment on column entity_pairs_mart.day is 'Day the articles count on (articles.trend_day).';
comment on column entity_pairs_mart.entity_id is 'One entity.';
comment on column entity_pairs_mart.other_id is 'The other entity.';
comment on column entity_pairs_mart.articles is 'Articles that day with both among their 8 most salient entities (copies counted once).';
comment on table entity_salient_mart is 'Per day and entity: representatives in which it is among the article''s 8 most salient entities (the totals behind cooccurrence()''s lift).';
comment on column entity_salient_mart.day is 'Day the articles count on (articles.trend_day).';
comment on column entity_salient_mart.entity_id is 'The entity.';
comment on column entity_salient_mart.articles is 'Articles that day with it among their 8 most salient entities (copies counted once).';
comment on table story_keys is 'Each article''s most salient canonical entities (at most 8), lower-cased: the keys by which story placement finds the stored articles a new one may join, and the entities whose pairs entity_pairs_mart counts. Written by every load (and after alias merges).';
comment on column story_keys.article_at is 'The article''s time (published, else fetched): loads read their window''s rows only.';
comment on column story_keys.article_id is 'The article.';
comment on column story_keys.rank is 'Salience rank in the article (1 = most salient).';
comment on column story_keys.key is 'The entity''s canonical name, lower-cased.';
comment on column story_keys.entity_id is 'The entity (entities.entity_id).';
comment on column entity_totals.salient_articles is 'Articles in which it is among the 8 most salient entities (story_keys; copies counted once): the totals behind cooccurrence()''s lift.';
comment on table warehouse_settings is 'Settings the warehouse''s own definitions depend on, written by newsmon from its config: trend_day (''stated'' or ''utc''), duplicate_bands (the LSH layout of duplicate_bands, ''<bands>x<rows>'', from duplicate_threshold); and marts_sorted_before (the month before which entity_daily_mart and entity_pairs_mart are stored in entity order, kept by the loads).';
