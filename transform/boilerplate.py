"""Line filters for extracted text: link lists, prompts, bylines and captions that are not the story."""

from __future__ import annotations

import re

LINK_LIST = re.compile(r"^\s*(read more|more on|related( stories| coverage| articles)?|see also|also read|"
                       r"most read|recommended|watch|listen)\b\s*[:\-–—]?", re.I)
PROMPT = re.compile(r"^\s*(share (this|on)|sign up|subscribe|follow us|download (our|the) app|"
                    r"get the latest|advertisement|cookie|we use cookies|accept (all )?cookies|"
                    r"image (caption|source|copyright)|photo(graph)?( credit)?\s*:)", re.I)
CREDIT = re.compile(r"^\s*(©|\(c\)|copyright\b)", re.I)
TABLE_RULE = re.compile(r"^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*$")
BYLINE = re.compile(r"^\s*(?i:by|written by|reporting by)\s+[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+){0,3}"
                    r"(\s*(,|and|&)\s*[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+){0,3})*\s*$")
PIPE_LIST = re.compile(r"\S\s+\|\s+\S")


def is_boilerplate_line(line: str) -> bool:
    """True for a line that is navigation, a prompt, a byline, a caption or a list of story links."""
    s = line.strip()
    if not s:
        return True
    if LINK_LIST.match(s) and (len(s.split()) <= 25 or PIPE_LIST.search(s)):
        return True
    if PROMPT.match(s) and len(s.split()) <= 30:
        return True
    if BYLINE.match(s) or TABLE_RULE.match(s):
        return True
    if CREDIT.match(s) and len(s.split()) <= 8:  # "© Reuters"; a long rights notice may be the story's
        return True
    if s.startswith("|"):  # a table row (trafilatura writes tables as | a | b |): part of the story
        return False
    # "A | B | C": short items separated by pipes are a link row, not prose
    parts = [p.strip() for p in s.split("|")]
    return len(parts) >= 3 and all(len(p.split()) <= 12 for p in parts)


def clean_text(text: str) -> str:
    """Drop boilerplate lines and collapse whitespace inside the rest."""
    kept = [" ".join(line.split()) for line in text.splitlines() if not is_boilerplate_line(line)]
    return "\n".join(kept)
