-- Articles (copies once), every copy, outlets and stories published from $start to $end.
select
    count(*) filter (where duplicate_of is null) as articles,
    count(*) as copies,
    count(distinct outlet(site_name, canonical_url)) as outlets,
    count(distinct story_id) as stories
from articles
where cast(coalesce(published_at, fetched_at) as date) between $start and $end;
