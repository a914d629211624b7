-- The related-article timeline per seed, with the reason each article is related.
select seed_title, title, relation, hops, relevance, related_via
from related_timeline
order by seed_title nulls last, published_at;
