-- Co-occurrence behind `newsmon trends --with ENTITY` (see the cooccurrence macro, migration 0003).
-- Parameters: $entity, $min_articles, $since (or null), $limit.
select *
from cooccurrence($entity, min_articles := $min_articles, since := $since)
limit $limit;
