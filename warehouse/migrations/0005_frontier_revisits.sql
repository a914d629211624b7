-- newsmon warehouse, version 5: the ledger becomes the persistent crawl frontier (validators, raw hash,
-- last change, next due time), and articles carry a content hash, a version and removal time.
-- The frontier changes in the same load transaction as the articles it describes.

alter table urls add column etag varchar;                -- validators for the next conditional GET
alter table urls add column last_modified varchar;
alter table urls add column raw_sha256 varchar;          -- the last body kept in data_dir/raw
alter table urls add column content_type varchar;
alter table urls add column last_changed_at timestamp;   -- last fetch whose body differed from the one before
alter table urls add column next_due_at timestamp;       -- next scheduled revisit (null: none scheduled)
alter table urls add column fetches integer default 0;   -- how many times it was fetched
alter table urls add column is_feed boolean default false;
alter table urls alter column last_checked_at drop not null;  -- null: discovered, never fetched

-- `skipped` (cut by the budget, forgotten) becomes `queued` (cut by the budget, first next time).
update urls set state = 'queued', last_checked_at = null where state = 'skipped';
update urls set is_feed = true where state = 'feed';
update urls set last_changed_at = last_checked_at, fetches = 1 where last_checked_at is not null;

alter table articles add column content_hash varchar;    -- md5 of text: a new hash is a new version
alter table articles add column version integer default 1;
alter table articles add column removed_at timestamp;    -- set when the URL answers 404 / 410
update articles set content_hash = md5(text);

-- The mart is refreshed for the days a load touches; entity_totals follows in the same transaction.
create table load_log (
    run_id varchar not null,
    loaded_at timestamp not null,
    articles integer not null,               -- articles stored (new or changed) by the load
    urls integer not null,                   -- ledger rows written
    days integer not null,                   -- publication days whose mart rows were refreshed
    primary key (run_id, loaded_at)
);

create or replace view crawl_health_daily as
select
    cast(coalesce(last_checked_at, first_seen_at) as date) as day,
    state,
    count(*) as urls
from urls
group by all;
