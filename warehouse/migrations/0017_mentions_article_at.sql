-- newsmon warehouse, version 17: mentions and article_entities carry their article's time (article_at:
-- coalesce(published_at, fetched_at), as article_signatures, duplicate_bands and story_keys do since version
-- 12), and are rewritten in its order. A load refreshes the marts for the days it touched; reading those days'
-- rows of the two largest tables by article id alone read every row (hashed ids: DuckDB can skip no row group),
-- 2.1 s of a 5,000-article cycle at a million articles, ten times that at ten million. Joined on the article's
-- time too, a day's rows come from the few row groups whose time range holds it (entity_daily_of below; the
-- loads append in about the order of time, and a month's late arrivals only widen a few groups' ranges). A
-- load writes the column from its batch's articles; data check mentions_article_time says it matches.

create table mentions_timed (
    article_id varchar not null,
    entity_id varchar not null,
    surface varchar not null,
    start_char integer not null,
    end_char integer not null,
    label varchar not null,
    article_at timestamp
);

insert into mentions_timed
select m.article_id, m.entity_id, m.surface, m.start_char, m.end_char, m.label,
    coalesce(a.published_at, a.fetched_at) as article_at
from mentions as m
left join articles as a on a.article_id = m.article_id
order by article_at nulls last, m.article_id, m.start_char;

drop table mentions;

alter table mentions_timed rename to mentions;

create table article_entities_timed (
    article_id varchar not null,
    entity_id varchar not null,
    mentions integer not null,
    first_char integer not null,
    in_headline boolean not null,
    salience double not null,
    article_at timestamp
);

insert into article_entities_timed
select ae.article_id, ae.entity_id, ae.mentions, ae.first_char, ae.in_headline, ae.salience,
    coalesce(a.published_at, a.fetched_at) as article_at
from article_entities as ae
left join articles as a on a.article_id = ae.article_id
order by article_at nulls last, ae.article_id, ae.entity_id;

drop table article_entities;

alter table article_entities_timed rename to article_entities;

create or replace macro entity_daily_of(days) as table
with article_days as (
    select
        article_id,
        coalesce(published_at, fetched_at) as article_at,
        trend_day as day
    from articles
    where duplicate_of is null
        and (days is null or list_contains(days, trend_day))
),

-- by id and time: DuckDB skips the row groups outside the time range of the days' articles
day_mentions as (
    select
        m.article_id,
        m.entity_id
    from mentions as m
    semi join article_days as d on d.article_id = m.article_id and d.article_at = m.article_at
),

day_salience as (
    select
        ae.article_id,
        ae.entity_id,
        ae.salience
    from article_entities as ae
    semi join article_days as d on d.article_id = ae.article_id and d.article_at = ae.article_at
),

mention_counts as (
    select
        article_id,
        entity_id,
        count(*) as mentions
    from day_mentions
    group by all
),

joined as (
    select
        d.day,
        mc.entity_id,
        mc.mentions,
        coalesce(s.salience, 0) as salience
    from mention_counts as mc
    inner join article_days as d on d.article_id = mc.article_id
    left join day_salience as s on s.article_id = mc.article_id and s.entity_id = mc.entity_id
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

comment on table mentions is 'Every mention of an entity in an article''s text, with its offsets. One row per article and start offset (checked by every load; no index).';
comment on column mentions.article_id is 'The article (articles.article_id).';
comment on column mentions.entity_id is 'The canonical entity (entities.entity_id).';
comment on column mentions.surface is 'The text as written, e.g. Mr Xi.';
comment on column mentions.start_char is 'Offset of the first character in articles.text.';
comment on column mentions.end_char is 'Offset after the last character in articles.text.';
comment on column mentions.label is 'The model''s label for this mention (PERSON, ORG, GPE, ...).';
comment on column mentions.article_at is 'The article''s time, coalesce(published_at, fetched_at), as its load stored it: join on it with article_id to read only the row groups of that time.';

comment on table article_entities is 'One row per article and entity it mentions (checked by every load; no index): how often, where first, and how central (salience).';
comment on column article_entities.article_id is 'The article (articles.article_id).';
comment on column article_entities.entity_id is 'The canonical entity (entities.entity_id).';
comment on column article_entities.mentions is 'Mentions in the article''s text.';
comment on column article_entities.first_char is 'Offset of the first mention in articles.text.';
comment on column article_entities.in_headline is 'Whether the headline names it.';
comment on column article_entities.salience is 'How central the entity is to the article, 0 to 1: 0.4 headline + 0.3 earliness + 0.3 share of mentions.';
comment on column article_entities.article_at is 'The article''s time, coalesce(published_at, fetched_at), as its load stored it: join on it with article_id to read only the row groups of that time.';
