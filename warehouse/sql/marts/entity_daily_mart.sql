-- Mart: entity_daily materialised, ordered by entity and day (zone maps make one entity's series cheap).
delete from entity_daily_mart;

insert into entity_daily_mart
select * from entity_daily
order by entity_id, day;
