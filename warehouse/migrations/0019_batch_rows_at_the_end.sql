-- newsmon warehouse, version 19: a load leaves its batch's articles and URLs at the end of their tables, and
-- keeps entity_totals by difference. No table changes. A stored URL the batch holds is replaced (deleted and
-- inserted again) rather than updated in place, as a stored article already was (DuckDB moves a row whose list
-- column, authors, is updated), so the data checks of a batch read its articles and URLs among the last rows of
-- articles and urls instead of looking their keys up (a key has no index since migration 0016: a lookup reads
-- the whole key column, 0.2 s each at ten million articles). warehouse_settings' comment says that the load's
-- last_load_rows counts those two tables too. entity_totals: a load adds what the days it touched hold now and
-- takes away what they held (reading an entity's other days only when its first or last day moved off a
-- touched day); the data check entity_totals_match_marts compares them with the marts on the whole warehouse.

comment on table warehouse_settings is 'Settings the warehouse''s own definitions depend on, written by newsmon from its config: trend_day (''stated'' or ''utc''), duplicate_bands (the LSH layout of duplicate_bands, ''<bands>x<rows>'', from duplicate_threshold); kept by the month close that runs after a cycle''s publish: marts_sorted_before (the month before which entity_daily_mart and entity_pairs_mart are stored in entity order) and marts_scattered_days (a JSON list of the days of closed months that loads rewrote since; four in one month sort it again at the next close); and written by every load: last_load_rows (a JSON object of the row counts of mentions, article_entities, articles and urls it left; the data checks of its batch read its rows at their end while the counts are unchanged).';

comment on table entity_totals is 'Per-entity totals over every day of entity_daily_mart (mentions, articles, first and last day) and entity_salient_mart (salient_articles), kept by each load for the days it touched (by difference: data check entity_totals_match_marts compares them with the marts).';
