-- Every outlet, the largest first (for the pickers and the colours).
select
    outlet(site_name, canonical_url) as outlet,
    count(*) as articles
from articles
group by all
order by articles desc, outlet;
