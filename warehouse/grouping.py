"""Near-duplicates and stories for one load, inside its transaction: the window's articles read as Docs,
judged by the caller's `regroup` (the application passes transform.grouping.regroup), the changes written.

The pool is every stored article within the grouping window around the batch's articles (the window
bounds a load's cost whatever the warehouse's history); the batch's articles are judged afresh, their
groups re-formed, and the stories they join or leave refreshed."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import duckdb

from core.config import Grouping
from transform.records import Doc
from warehouse.sqlfile import named_statements, params_for

Regroup = Callable[[dict[str, Doc], set[str], Grouping], set[str]]

GROUPING_SQL = resources.files("warehouse") / "sql" / "grouping.sql"


def group_batch(con: duckdb.DuckDBPyConnection, articles_parquet: str, grouping: Grouping,
                regroup: Regroup) -> dict[str, int]:
    """Mark near-duplicates, place new articles in stories, refresh the stories touched; add the days whose
    counts changed to temp table touched_days. Returns counts (articles judged, duplicates, stories)."""
    sql = dict(named_statements(GROUPING_SQL))
    params = {"articles": articles_parquet,
              "window_days": max(grouping.duplicate_window_days, grouping.story_window_days)}
    cur = con.execute(sql["pool"], params_for(sql["pool"], params))
    names = [c[0] for c in cur.description]
    docs, batch = {}, set()
    for values in cur.fetchall():
        row = dict(zip(names, values, strict=True))
        docs[row["article_id"]] = Doc(row["article_id"], row["at"], row["minhash"], frozenset(row["keywords"]),
                                      tuple(row["entities"]), row["duplicate_of"], row["story_id"], row["site"])
        if row["in_batch"]:
            batch.add(row["article_id"])
    before = {aid: (d.duplicate_of, d.story_id) for aid, d in docs.items()}
    dup_changed = regroup(docs, batch, grouping)
    moved = {aid for aid, d in docs.items() if (d.duplicate_of, d.story_id) != before[aid]}
    changes = [(aid, docs[aid].duplicate_of, docs[aid].story_id, aid in dup_changed) for aid in sorted(moved)]
    touched = {s for aid in batch | moved for s in (before[aid][1], docs[aid].story_id) if s}
    con.execute("create or replace temp table grouping_changes (article_id varchar, duplicate_of varchar, "
                "story_id varchar, dup_changed boolean)")
    con.execute("create or replace temp table touched_stories (story_id varchar)")
    if changes:
        con.executemany("insert into grouping_changes values (?, ?, ?, ?)", changes)
    if touched:
        con.executemany("insert into touched_stories values (?)", [(s,) for s in sorted(touched)])
    for name in ("apply", "touched_days_grouping", "delete_stories", "insert_stories"):
        con.execute(sql[name], params_for(sql[name], params))
    return {"judged": len(batch), "duplicates": sum(1 for a in batch if docs[a].duplicate_of),
            "stories": len({docs[a].story_id for a in batch})}
