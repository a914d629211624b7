-- newsmon warehouse, version 9: the entity_daily aggregation defined once. The table macro
-- entity_daily_of(days) computes it for a list of days (NULL: every day); the entity_daily view and the
-- load's mart refresh (warehouse/sql/refresh_days.sql) both call it, so they cannot drift apart.

create or replace macro entity_daily_of(days) as table
with article_days as (
    select
        article_id,
        cast(coalesce(published_at, fetched_at) as date) as day
    from articles
    where duplicate_of is null
        and (days is null or list_contains(days, cast(coalesce(published_at, fetched_at) as date)))
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

create or replace view entity_daily as select * from entity_daily_of(null);

comment on macro table entity_daily_of is 'entity_daily_of(days): mentions and articles per entity and publication day for the days listed (NULL: all), copies counted once: the one definition behind the entity_daily view and its mart.';
comment on view entity_daily is 'Mentions and articles per entity and publication day, copies counted once, computed live (entity_daily_mart holds the same rows, faster).';
comment on column entity_daily.day is 'Publication day (UTC; fetch day when the page states none).';
comment on column entity_daily.entity_id is 'The canonical entity.';
comment on column entity_daily.name is 'Canonical name.';
comment on column entity_daily.type is 'Entity type.';
comment on column entity_daily.mentions is 'Mentions in that day''s articles.';
comment on column entity_daily.articles is 'Articles of that day that mention it.';
comment on column entity_daily.salience is 'Sum of its salience over those articles.';
