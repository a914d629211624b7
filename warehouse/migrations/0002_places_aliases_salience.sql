-- newsmon warehouse, version 2: place codes on entities, every alias of an entity, salience per
-- article and entity, and the cross-article alias merges the load applies.

alter table entities add column country_code varchar;   -- ISO 3166 alpha-2: countries, cities, demonyms
alter table entities add column geonames_id bigint;      -- GeoNames id: countries and unambiguous cities

create table entity_aliases (
    entity_id varchar not null,
    alias varchar not null,                -- a surface form as written, e.g. Mr Xi, President Xi, Britain
    name_form varchar not null,            -- the same without titles and possessives, e.g. Xi
    first_seen_at timestamp not null,
    primary key (entity_id, alias)
);

create table article_entities (
    article_id varchar not null,
    entity_id varchar not null,
    mentions integer not null,             -- mentions in the article's text
    first_char integer not null,           -- offset of the first mention
    in_headline boolean not null,
    salience double not null,              -- 0.4 headline + 0.3 earliness + 0.3 share of mentions
    primary key (article_id, entity_id)
);

-- A one-word PERSON entity (a short form seen alone in some article) whose name is the short form
-- of exactly one full-name PERSON elsewhere: it is that person. Two candidates: stays ambiguous.
create view person_alias_merges as
with short_names as (
    select
        entity_id,
        name
    from entities
    where type = 'PERSON' and name not like '% %'
),

candidates as (
    select distinct
        s.entity_id as from_id,
        a.entity_id as to_id
    from short_names as s
    inner join entity_aliases as a on a.name_form = s.name and a.entity_id <> s.entity_id
    inner join entities as e on e.entity_id = a.entity_id and e.type = 'PERSON' and e.name like '% %'
),

final as (
    select
        from_id,
        min(to_id) as to_id
    from candidates
    group by from_id
    having count(*) = 1
)

select * from final;
