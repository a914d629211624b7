-- newsmon warehouse, version 10: the day the publisher states beside the UTC instant. A page stamped
-- 2020-02-15T07:00+09:00 was published on 14 February in UTC (published_at) but on the 15th for its
-- publisher and its readers (published_day); the offset is kept when the page gives one. Articles loaded
-- before this version keep null in both until their page is parsed again.

alter table articles add column published_day date;
alter table articles add column published_offset_min integer;

comment on column articles.published_day is 'The publication day the publisher states, in the page''s own time zone (a URL''s /2023/11/08/ wins over a UTC stamp one day away); null when the page states none or the article was loaded before warehouse version 10.';
comment on column articles.published_offset_min is 'The UTC offset of the publisher''s stamp in minutes (e.g. 540 for +09:00); null when the stamp has no zone.';
comment on column articles.published_source is 'Where published_at came from: json-ld, meta, time (the article''s own <time>), url, feed or htmldate.';
