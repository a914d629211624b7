-- newsmon warehouse, version 12: near-duplicate and story candidates looked up, not rebuilt. Each load used
-- to read every article of the grouping window (signatures, keywords, top entities) and index them all in
-- Python, so a load's cost grew with the window's volume. The keys are now stored once per article:
-- duplicate_bands holds each signature's LSH band keys, story_keys each article's most salient entities,
-- both with the article's time (article_at), and article_signatures gains that time and is rewritten in its
-- order, so a load reads only its window's rows (DuckDB skips the others by their min/max) and of those
-- only the ones that share a key with its batch (warehouse/sql/grouping.sql). The band layout follows the config key duplicate_threshold; the setting
-- duplicate_bands ('<bands>x<rows>') says which layout the table holds, and a load with another threshold
-- rebuilds it. Built here for the default threshold (0.5: 25 bands of 5 values).

create table signatures_by_time (
    article_id varchar primary key,
    minhash blob,
    keywords varchar[] not null,
    article_at timestamp
);

insert into signatures_by_time
select s.article_id, s.minhash, s.keywords, coalesce(a.published_at, a.fetched_at) as article_at
from article_signatures as s
left join articles as a on a.article_id = s.article_id
order by article_at, s.article_id;

drop table article_signatures;

alter table signatures_by_time rename to article_signatures;

create table duplicate_bands (
    article_at timestamp not null,
    article_id varchar not null,
    band utinyint not null,
    band_key ubigint not null
);

create table story_keys (
    article_at timestamp not null,
    article_id varchar not null,
    rank utinyint not null,
    key varchar not null
);

insert into warehouse_settings values ('duplicate_bands', '25x5');

insert into duplicate_bands
select
    s.article_at,
    s.article_id,
    cast(b.i as utinyint) as band,
    md5_number_upper(s.minhash[b.i * 20 + 1:(b.i + 1) * 20]) as band_key
from article_signatures as s
cross join (select range as i from range(25)) as b
where s.minhash is not null and s.article_at is not null
order by s.article_at, s.article_id, b.i;

insert into story_keys
with ranked as (
    select
        ae.article_id,
        lower(e.name) as key,
        row_number() over (partition by ae.article_id order by ae.salience desc, e.name) as rank
    from article_entities as ae
    inner join entities as e on e.entity_id = ae.entity_id
)

select
    coalesce(a.published_at, a.fetched_at) as article_at,
    r.article_id,
    cast(r.rank as utinyint) as rank,
    r.key
from ranked as r
inner join articles as a on a.article_id = r.article_id
where r.rank <= 8
order by article_at, r.article_id, r.rank;

comment on table duplicate_bands is 'Each article signature''s LSH band keys (the layout in warehouse_settings.duplicate_bands): two articles are near-duplicate candidates when they share a band and its key. Written by every load; a load reads the rows of its window that share a key with its batch.';
comment on column duplicate_bands.article_at is 'The article''s time (published, else fetched): loads read their window''s rows only.';
comment on column duplicate_bands.article_id is 'The article.';
comment on column duplicate_bands.band is 'Band number (0 = the signature''s first values).';
comment on column duplicate_bands.band_key is 'The band''s values hashed (the first 8 bytes of their MD5, little-endian).';
comment on table story_keys is 'Each article''s most salient canonical entities (at most 8), lower-cased: the keys by which story placement finds the stored articles a new one may join. Written by every load (and after alias merges).';
comment on column story_keys.article_at is 'The article''s time (published, else fetched): loads read their window''s rows only.';
comment on column story_keys.article_id is 'The article.';
comment on column story_keys.rank is 'Salience rank in the article (1 = most salient).';
comment on column story_keys.key is 'The entity''s canonical name, lower-cased.';
comment on table warehouse_settings is 'Settings the warehouse''s own definitions depend on, written by newsmon from its config: trend_day (''stated'' or ''utc''), duplicate_bands (the LSH layout of duplicate_bands, ''<bands>x<rows>'', from duplicate_threshold).';
comment on column article_signatures.article_at is 'The article''s time (published, else fetched), so loads read their window''s signatures only (rows are stored in about this order).';
comment on table article_signatures is 'Per article: the MinHash of its text (near-duplicates) and its salient words (stories).';
comment on column article_signatures.article_id is 'The article (articles.article_id).';
comment on column article_signatures.minhash is 'MinHash of word 5-shingles: 128 x uint32, little-endian (datasketch, affine32, seed 1).';
comment on column article_signatures.keywords is 'Its 30 most frequent non-stop words of 4+ letters, most frequent first.';
