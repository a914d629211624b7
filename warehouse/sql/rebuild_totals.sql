-- entity_totals whole, from the marts (a rebuild of the marts, warehouse.trends.rebuild_marts: a repair does
-- not trust the stored totals that a load's refresh_days.sql keeps by difference)

-- name: delete_all_totals
delete from entity_totals;

-- name: insert_all_totals
insert into entity_totals
select * from entity_totals_of(null);
