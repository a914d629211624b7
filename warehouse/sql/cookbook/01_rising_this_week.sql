-- Which entities are rising in coverage of this story this week?
select name, type, recent_articles, baseline_articles, ratio, z
from rising_entities(recent_days := 3, baseline_days := 14, min_articles := 2)
limit 10;
