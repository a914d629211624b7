-- Week by week, the ten entities with the most coverage.
select week, name, type, articles, mentions, salience
from entity_weekly
order by week desc, articles desc, mentions desc, name
limit 10;
