-- One story: its label, days, size, copies and outlets.
select
    story_id,
    label,
    cast(first_seen_at as date) as first_day,
    cast(last_seen_at as date) as last_day,
    size as articles,
    copies,
    outlets,
    top_entities
from stories
where story_id = $story;
