-- What share of each day's articles mentioned Taiwan, every day from 10 to 17 June 2022 (zeros included)?
select day, articles, day_articles, share
from entity_timeline('taiwan', start_day := '2022-06-10', end_day := '2022-06-17');
