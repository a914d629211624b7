-- Articles (copies once), every copy, outlets and stories published from $start to $end.
select
    count(*) filter (where duplicate_of is null) as articles,
    count(*) as copies,
    count(distinct outlet(site_name, canonical_url)) as outlets,
    count(distinct story_id) as stories
from articles
where trend_day between $start and $end;
