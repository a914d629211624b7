-- The latest publications, loads and search requests, newest first.
-- name: publications
select published_at, run_id, articles from publications order by published_at desc limit 20;
-- name: loads
select loaded_at, run_id, articles, urls, days from load_log order by loaded_at desc limit 20;
-- name: searches
select requested_at, provider, query, state, http_status, results, detail
from searches order by requested_at desc limit 50;
