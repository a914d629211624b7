"""The entities the warehouse has confirmed, for the known-entity matcher of transform.entities: names seen
as the same kind in several articles, or canonical names the alias folding has given other spellings."""

from __future__ import annotations

from pathlib import Path

from warehouse.db import read_connection

# Per-entity article counts come from the entity_totals mart (copies counted once), which each load keeps
# current for the entities it touched: reading it costs the same at any warehouse size.
KNOWN_SQL = """
with aliased as (
    select distinct al.entity_id
    from entity_aliases as al
    join entities as e using (entity_id)
    where al.alias <> e.name
)
select t.name, t.type
from entity_totals as t
where t.type in ('PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'FAC', 'EVENT')
    and (t.articles >= $min_articles or (t.articles >= 1 and t.entity_id in (select entity_id from aliased)))
order by t.articles desc, t.name
limit $limit
"""


def known_entities(db: Path, min_articles: int = 2, limit: int = 50_000) -> list[tuple[str, str]]:
    """(canonical name, label) of confirmed entities, most-seen first, from the readers' snapshot; [] when
    the warehouse has no snapshot yet (a first cycle). A name seen as two kinds is returned with both and
    left to the model by transform.entities.known_patterns."""
    try:
        with read_connection(db) as con:
            rows = con.execute(KNOWN_SQL, {"min_articles": min_articles, "limit": limit}).fetchall()
    except FileNotFoundError:
        return []
    return [(str(name), str(label)) for name, label in rows]
