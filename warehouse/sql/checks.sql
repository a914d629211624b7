-- Data checks run after every load. Each query returns the offending rows; any row fails the run.
-- name: articles_article_id_unique
select article_id, count(*) as n from articles group by article_id having count(*) > 1;
-- name: articles_canonical_url_unique
select canonical_url, count(*) as n from articles group by canonical_url having count(*) > 1;
-- name: articles_not_null
select article_id from articles
where url is null or canonical_url is null or title is null or text is null or fetched_at is null
    or relation is null or raw_sha256 is null;
-- name: articles_relation_accepted
select article_id, relation from articles where relation not in ('seed', 'linked', 'feed');
-- name: entities_entity_id_unique
select entity_id, count(*) as n from entities group by entity_id having count(*) > 1;
-- name: entities_not_null
select entity_id from entities where name is null or type is null or name = '';
-- name: entities_type_accepted
select entity_id, type from entities
where type not in ('PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'FAC', 'EVENT', 'LAW', 'PRODUCT', 'WORK_OF_ART');
-- name: mentions_key_unique
select article_id, start_char, count(*) as n from mentions group by all having count(*) > 1;
-- name: mentions_article_exists
select m.article_id from mentions as m anti join articles as a on a.article_id = m.article_id;
-- name: mentions_entity_exists
select m.entity_id from mentions as m anti join entities as e on e.entity_id = m.entity_id;
-- name: mentions_offsets_match_text
select m.article_id, m.start_char from mentions as m
inner join articles as a on a.article_id = m.article_id
where substr(a.text, m.start_char + 1, m.end_char - m.start_char) <> m.surface;
-- name: urls_state_accepted
select url, state from urls
where state not in ('stored', 'unchanged', 'irrelevant', 'duplicate', 'robots_disallowed', 'blocked', 'feed',
                    'not_article', 'failed', 'skipped');
-- name: urls_stored_have_article
select u.url from urls as u
where u.state = 'stored' and not exists (select 1 from articles as a where a.article_id = u.article_id);
-- name: entities_no_unmerged_alias
select from_id, to_id from person_alias_merges;
-- name: article_entities_key_unique
select article_id, entity_id, count(*) as n from article_entities group by all having count(*) > 1;
-- name: article_entities_salience_range
select article_id, entity_id, salience from article_entities where salience < 0 or salience > 1;
-- name: entity_aliases_entity_exists
select a.entity_id from entity_aliases as a anti join entities as e on e.entity_id = a.entity_id;
-- name: countries_have_codes
select entity_id, name from entities where type = 'GPE' and geonames_id is not null and country_code is null;
