-- Applied by every load, inside its transaction: fold short-form people into their full names across
-- articles (see the person_alias_merges view). Idempotent: a second run finds nothing to merge.
create or replace temp table pending_merges as select * from person_alias_merges;
-- the articles whose entities change: their story keys are written again (warehouse/sql/grouping.sql)
create or replace temp table merged_articles as
select distinct article_id from article_entities where entity_id in (select from_id from pending_merges);
update mentions set entity_id = m.to_id from pending_merges as m where mentions.entity_id = m.from_id;
update article_entities set entity_id = m.to_id from pending_merges as m where article_entities.entity_id = m.from_id;
insert into entity_aliases
select m.to_id, a.alias, a.name_form, a.first_seen_at
from entity_aliases as a inner join pending_merges as m on a.entity_id = m.from_id
on conflict do nothing;
delete from entity_aliases where entity_id in (select from_id from pending_merges);
delete from entities where entity_id in (select from_id from pending_merges);
drop table pending_merges;
