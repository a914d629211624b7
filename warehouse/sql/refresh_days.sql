-- Refresh the trend marts for the days in temp table touched_days only (inside the load's transaction),
-- so a load's cost follows its batch, not the warehouse's history.

-- name: touched_before
-- each entity's part of the touched days before the refresh (entity_totals is kept by difference: its
-- totals minus this, plus the same part after; macro entity_totals_of, migrations 0021 and 0023)
create or replace temp table touched_before as
select * from entity_totals_of(coalesce((select list(day) from touched_days), []::date[]));

-- name: delete_mart_days
delete from entity_daily_mart where day in (select day from touched_days);

-- name: insert_mart_days
-- entity_daily for the touched days only (the macro of migration 0009, the view's own definition).
insert into entity_daily_mart
select * from entity_daily_of(coalesce((select list(day) from touched_days), []::date[]))  -- none: none, not all
order by entity_id, day;

-- name: delete_pair_days
-- the co-occurrence marts (migration 0013's macros, the tables' own definitions), for the touched days
delete from entity_pairs_mart where day in (select day from touched_days);

-- name: insert_pair_days
insert into entity_pairs_mart
select * from entity_pairs_of(coalesce((select list(day) from touched_days), []::date[]))
order by entity_id, other_id, day;

-- name: delete_salient_days
delete from entity_salient_mart where day in (select day from touched_days);

-- name: insert_salient_days
insert into entity_salient_mart
select * from entity_salient_of(coalesce((select list(day) from touched_days), []::date[]))
order by day, entity_id;

-- name: touched_after
create or replace temp table touched_after as
select * from entity_totals_of(coalesce((select list(day) from touched_days), []::date[]));

-- name: totals_next
-- The totals of every entity the touched days name, before or after: the stored totals plus the change.
-- A first (last) day stays known without reading the entity's other days when it was not a touched day
-- (then it is the minimum of the untouched days), or when the touched days still hold it; otherwise it is
-- null here and recomputed from the entity's rows (totals_recomputed).
create or replace temp table totals_next as
with changed as (
    select
        entity_id,
        a.name,
        a.type,
        coalesce(a.mentions, 0) - coalesce(b.mentions, 0) as mentions,
        coalesce(a.articles, 0) - coalesce(b.articles, 0) as articles,
        coalesce(a.salient_articles, 0) - coalesce(b.salient_articles, 0) as salient_articles,
        a.first_day,
        a.last_day
    from touched_after as a
    full join touched_before as b using (entity_id)
)

select
    c.entity_id,
    coalesce(c.name, t.name) as name,
    coalesce(c.type, t.type) as type,
    coalesce(t.mentions, 0) + c.mentions as mentions,
    coalesce(t.articles, 0) + c.articles as articles,
    case
        when t.first_day is null or t.first_day not in (select day from touched_days)
            then least(t.first_day, c.first_day)
        when c.first_day <= t.first_day then c.first_day
    end as first_day,
    case
        when t.last_day is null or t.last_day not in (select day from touched_days)
            then greatest(t.last_day, c.last_day)
        when c.last_day >= t.last_day then c.last_day
    end as last_day,
    coalesce(t.salient_articles, 0) + c.salient_articles as salient_articles
from changed as c
left join entity_totals as t on t.entity_id = c.entity_id;

-- name: totals_recomputed
-- the first and last day of an entity whose first or last day moved off a touched day, from its mart rows
create or replace temp table totals_recomputed as
select
    entity_id,
    min(day) as first_day,
    max(day) as last_day
from entity_daily_mart
where entity_id in (
    select entity_id from totals_next
    where articles > 0 and (first_day is null or last_day is null)
)
group by entity_id;

-- name: totals_resolved
update totals_next as n set
    first_day = coalesce(n.first_day, r.first_day),
    last_day = coalesce(n.last_day, r.last_day)
from totals_recomputed as r
where r.entity_id = n.entity_id;

-- name: delete_totals
-- an entity with no article left has no totals (nor has one that is no entity any more: merged away)
delete from entity_totals
where entity_id in (select entity_id from totals_next where articles <= 0)
    or entity_id not in (select entity_id from entities);

-- name: update_totals
-- in place (the key unchanged: its index is not touched)
update entity_totals as t set
    name = n.name,
    type = n.type,
    mentions = n.mentions,
    articles = n.articles,
    first_day = n.first_day,
    last_day = n.last_day,
    salient_articles = n.salient_articles
from totals_next as n
where t.entity_id = n.entity_id and n.articles > 0;

-- name: insert_totals
-- the entities new to the totals
insert into entity_totals
select
    n.entity_id,
    n.name,
    n.type,
    n.mentions,
    n.articles,
    n.first_day,
    n.last_day,
    n.salient_articles
from totals_next as n
anti join entity_totals as t on t.entity_id = n.entity_id
where n.articles > 0;
