-- How many related articles did each source publish per day?
select day, source, articles from coverage_daily order by day, source;
