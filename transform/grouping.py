"""One load's near-duplicates and story placement, decided over the Docs of the grouping pool (pure:
warehouse.grouping reads the stored articles the batch shares a key with and writes the changes, inside
the load's transaction; `bands` is the LSH layout it stores the band keys in, MAX_PER_KEY and
`keywords_are_keys` what placement reads, so that it reads no less)."""

from __future__ import annotations

from collections.abc import Mapping

from core.config import Grouping
from transform.dedup import bands, near_duplicates
from transform.records import Doc
from transform.stories import MAX_PER_KEY, assign_stories, keywords_are_keys

__all__ = ["MAX_PER_KEY", "bands", "keywords_are_keys", "regroup"]


def regroup(docs: dict[str, Doc], batch: set[str], grouping: Grouping,
            key_counts: Mapping[str, int] | None = None) -> set[str]:
    """Mark the batch's near-duplicates and place new articles (and those whose duplicate status changed)
    in stories, changing `docs` in place. `key_counts`: how many placed articles carry each story key
    across the window, when `docs` holds only some of them (see transform.stories.assign_stories).
    Returns the articles whose duplicate status changed."""
    before = {aid: d.duplicate_of for aid, d in docs.items()}
    dups = near_duplicates(docs.values(), batch, grouping.duplicate_threshold, grouping.duplicate_window_days)
    for aid, rep in dups.items():
        docs[aid].duplicate_of = rep
    dup_changed = {aid for aid in dups if before[aid] != docs[aid].duplicate_of}
    place = {aid for aid in batch if docs[aid].story_id is None} | dup_changed
    assign_stories(docs.values(), place, grouping.story_threshold, grouping.story_window_days, key_counts)
    return dup_changed
