-- newsmon warehouse, version 15: the month close leaves the load, and the checks read the rows a load
-- appended. No table changes; warehouse_settings' comment names the new key last_load_rows (written by every
-- load: the row counts of mentions and article_entities it left, so the data checks of its batch read the
-- rows it appended at their end, not every row) and says who keeps marts_sorted_before and
-- marts_scattered_days now (the month close, run after a cycle's publish; the loads note the days they write
-- apart).

comment on table warehouse_settings is 'Settings the warehouse''s own definitions depend on, written by newsmon from its config: trend_day (''stated'' or ''utc''), duplicate_bands (the LSH layout of duplicate_bands, ''<bands>x<rows>'', from duplicate_threshold); kept by the month close that runs after a cycle''s publish: marts_sorted_before (the month before which entity_daily_mart and entity_pairs_mart are stored in entity order) and marts_scattered_days (a JSON list of the days of closed months that loads rewrote since; four in one month sort it again at the next close); and written by every load: last_load_rows (a JSON object of the row counts of mentions and article_entities it left; the data checks of its batch read the rows it appended at their end while the counts are unchanged).';
