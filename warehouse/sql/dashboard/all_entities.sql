-- Every canonical entity name, for the dashboard's picker.
select distinct name from entities order by name;
