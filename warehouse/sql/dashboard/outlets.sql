-- Outlets with articles from $start to $end: articles, copies of earlier articles, stories covered and
-- how many of those stories they published first (among the stories' articles in the range).
with scoped as (
    select
        outlet(site_name, canonical_url) as outlet,
        coalesce(published_at, fetched_at) as seen_at,
        duplicate_of,
        story_id
    from articles
    where trend_day between $start and $end
),

per_outlet as (
    select
        outlet,
        count(*) as articles,
        count(*) filter (where duplicate_of is not null) as copies,
        count(distinct story_id) as stories,
        min(seen_at) as first_article,
        max(seen_at) as last_article
    from scoped
    group by outlet
),

firsts as (
    select min_by(outlet, (seen_at, outlet)) as outlet
    from scoped
    where story_id is not null
    group by story_id
),

first_counts as (
    select
        outlet,
        count(*) as first_to_publish
    from firsts
    group by outlet
),

final as (
    select
        p.outlet,
        p.articles,
        p.copies,
        p.stories,
        coalesce(f.first_to_publish, 0) as first_to_publish,
        p.first_article,
        p.last_article
    from per_outlet as p
    left join first_counts as f on f.outlet = p.outlet
)

select * from final order by articles desc, outlet;
