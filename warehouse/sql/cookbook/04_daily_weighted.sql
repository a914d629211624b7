-- Day by day, who is mentioned most, counted by articles, by mentions and weighted by salience?
select day, name, articles, mentions, salience
from entity_daily
where type = 'PERSON'
order by day desc, salience desc
limit 10;
