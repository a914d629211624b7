-- newsmon warehouse, version 4: alerts raised by the entity_trends DAG (rising entities, new related
-- articles), each raised once.
create table alerts (
    alert_id varchar primary key,          -- rising:<entity_id>:<as_of day> or article:<article_id>
    kind varchar not null,                 -- rising or new_article
    entity_id varchar,
    article_id varchar,
    message varchar not null,
    payload json not null,                 -- what was posted to the webhook
    raised_at timestamp not null,
    delivery varchar not null              -- logged, posted, or failed: <reason>
);
