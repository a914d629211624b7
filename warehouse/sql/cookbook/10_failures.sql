-- Why did URLs fail, get blocked or get disallowed?
select reason, urls, example_url from crawl_failures order by urls desc;
