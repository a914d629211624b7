"""One load's near-duplicates and story placement, decided over the Docs of the grouping window (pure:
warehouse.grouping reads the window and writes the changes, inside the load's transaction)."""

from __future__ import annotations

from core.config import Grouping
from transform.dedup import near_duplicates
from transform.records import Doc
from transform.stories import assign_stories


def regroup(docs: dict[str, Doc], batch: set[str], grouping: Grouping) -> set[str]:
    """Mark the batch's near-duplicates and place new articles (and those whose duplicate status changed)
    in stories, changing `docs` in place. Returns the articles whose duplicate status changed."""
    before = {aid: d.duplicate_of for aid, d in docs.items()}
    dups = near_duplicates(docs.values(), batch, grouping.duplicate_threshold, grouping.duplicate_window_days)
    for aid, rep in dups.items():
        docs[aid].duplicate_of = rep
    dup_changed = {aid for aid in dups if before[aid] != docs[aid].duplicate_of}
    place = {aid for aid in batch if docs[aid].story_id is None} | dup_changed
    assign_stories(docs.values(), place, grouping.story_threshold, grouping.story_window_days)
    return dup_changed
