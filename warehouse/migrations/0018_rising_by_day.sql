-- newsmon warehouse, version 18: rising_entities reads only its windows' days of entity_daily_mart. Its day
-- filter compared the mart's days with a value computed in the query (the latest day), which DuckDB cannot use
-- to skip row groups, so every query read the whole mart (9 million rows at a million articles, a year of
-- them); the windows' days are now rows joined by day, and DuckDB reads only the row groups whose days they
-- hold (830,000 rows there). The latest day comes from entity_totals (last_day, kept with the mart in the same
-- transaction: 50,000 rows, not the mart's millions). Same results.

create or replace macro rising_entities(recent_days := 7, baseline_days := 28, min_articles := 3, as_of := null) as table
with params as (
    select
        coalesce(cast(as_of as date), (select max(last_day) from entity_totals)) as as_of,  -- the mart's last day
        cast(recent_days as integer) as recent_days,
        cast(baseline_days as integer) as baseline_days,
        cast(min_articles as integer) as min_articles
),

-- the windows' days as rows, joined by day: DuckDB then reads only the mart's row groups of those days
window_days as (
    select unnest(list_transform(range(p.recent_days + p.baseline_days), lambda i: p.as_of - cast(i as integer))) as day
    from params as p
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
    from entity_daily_mart as d
    inner join window_days as w on w.day = d.day
    cross join params as p
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

comment on macro table rising_entities is 'rising_entities(recent_days := 7, baseline_days := 28, min_articles := 3, as_of := null): entities whose article count in the recent window rose against the baseline before it; ratio = (recent+1)/(expected+1), z = (recent-expected)/sqrt(expected+1).';
