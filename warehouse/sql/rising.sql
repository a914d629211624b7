-- Rising entities behind `newsmon trends --rising` (see the rising_entities macro, migration 0003).
-- Parameters: $recent_days, $baseline_days, $min_articles, $as_of (or null: the latest day), $limit.
select *
from rising_entities(
    recent_days := $recent_days,
    baseline_days := $baseline_days,
    min_articles := $min_articles,
    as_of := $as_of
)
limit $limit;
