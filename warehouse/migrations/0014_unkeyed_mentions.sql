-- newsmon warehouse, version 14: mentions and article_entities without primary keys. Their keys
-- ((article_id, start_char) and (article_id, entity_id)) were DuckDB ART indexes over the two largest tables,
-- twenty million rows each at a million articles, and held about half of the file's blocks (measured on a
-- synthetic warehouse of 100,000 articles: 1,589 used blocks with them, 801 without). No query used them:
-- DuckDB answers `where article_id = ?` on these tables with the same scan either way (tried at 20 million
-- rows: 47 ms with the key, 48 ms without), and a load never upserts into them: it deletes the batch's
-- articles' rows and inserts them again. What the keys guaranteed, that no article holds the same offset or
-- the same entity twice, is now a data check on every load's articles (mentions_unique,
-- article_entities_unique in warehouse/sql/checks.sql). The rows keep their order (the loads' order).

create table mentions_unkeyed (
    article_id varchar not null,
    entity_id varchar not null,
    surface varchar not null,
    start_char integer not null,
    end_char integer not null,
    label varchar not null
);

insert into mentions_unkeyed
select article_id, entity_id, surface, start_char, end_char, label from mentions;

drop table mentions;

alter table mentions_unkeyed rename to mentions;

create table article_entities_unkeyed (
    article_id varchar not null,
    entity_id varchar not null,
    mentions integer not null,
    first_char integer not null,
    in_headline boolean not null,
    salience double not null
);

insert into article_entities_unkeyed
select article_id, entity_id, mentions, first_char, in_headline, salience from article_entities;

drop table article_entities;

alter table article_entities_unkeyed rename to article_entities;

comment on table mentions is 'Every mention of an entity in an article''s text, with its offsets. One row per article and start offset (checked by every load; no index).';
comment on column mentions.article_id is 'The article (articles.article_id).';
comment on column mentions.entity_id is 'The canonical entity (entities.entity_id).';
comment on column mentions.surface is 'The text as written, e.g. Mr Xi.';
comment on column mentions.start_char is 'Offset of the first character in articles.text.';
comment on column mentions.end_char is 'Offset after the last character in articles.text.';
comment on column mentions.label is 'The model''s label for this mention (PERSON, ORG, GPE, ...).';

comment on table article_entities is 'One row per article and entity it mentions (checked by every load; no index): how often, where first, and how central (salience).';
comment on column article_entities.article_id is 'The article (articles.article_id).';
comment on column article_entities.entity_id is 'The canonical entity (entities.entity_id).';
comment on column article_entities.mentions is 'Mentions in the article''s text.';
comment on column article_entities.first_char is 'Offset of the first mention in articles.text.';
comment on column article_entities.in_headline is 'Whether the headline names it.';
comment on column article_entities.salience is 'How central the entity is to the article, 0 to 1: 0.4 headline + 0.3 earliness + 0.3 share of mentions.';

comment on table warehouse_settings is 'Settings the warehouse''s own definitions depend on, written by newsmon from its config: trend_day (''stated'' or ''utc''), duplicate_bands (the LSH layout of duplicate_bands, ''<bands>x<rows>'', from duplicate_threshold); and, kept by the loads, marts_sorted_before (the month before which entity_daily_mart and entity_pairs_mart are stored in entity order) and marts_scattered_days (a JSON list of the days of closed months that loads rewrote since; four in one month sort it again).';
