"""Filters for extracted text: link lists, prompts, bylines, datelines, tag lists and captions.

Two levels: XPath expressions trafilatura prunes before it extracts (`PRUNE_XPATH`: lists made only
of links), and line rules applied to its output (`clean_text`). Every rule is about the shape of
boilerplate that news sites share, never about one site."""

from __future__ import annotations

import re

# A list whose every item is nothing but one link is a "related stories" list, not the story's text.
PRUNE_XPATH = [
    "//ul[count(li) >= 2][not(li[not(a) or normalize-space(.) != normalize-space(a[1])])]",
]

LINK_LIST = re.compile(r"^\s*(read more|more on|related( stories| coverage| articles| posts?)?|see also|"
                       r"also read|most read|recommended|you may also like|watch|listen)\b\s*[:\-–—]?", re.I)
PROMPT = re.compile(r"^\s*(share (this|on)|sign up|subscribe|follow us|download (our|the) app|"
                    r"get the latest|advertisement|cookie|we use cookies|accept (all )?cookies|"
                    r"image (caption|source|copyright)|photo(graph)?( credit)?\s*:)", re.I)
NEWSLETTER = re.compile(r"\bnewsletter\b|\bsign up\b.*\b(inbox|email)\b", re.I)
FOLLOW = re.compile(r"\bfollow (us|him|her|them|me)\b.*\b(twitter|facebook|instagram|linkedin)\b|"
                    r"^\s*follow @\w+|\b[\w.+-]+@[\w-]+\.[\w.]+\b.*\bfollow\b", re.I)
CONTRIBUTED = re.compile(r"\bcontributed( reporting)? to (this|the) (report|story|article)\.?\s*$", re.I)
CREDIT = re.compile(r"^\s*(©|\(c\)|copyright\b)", re.I)
TABLE_RULE = re.compile(r"^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*$")
BYLINE = re.compile(r"^\s*(?i:by|written by|reporting by)\s+[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+){0,3}"
                    r"(\s*(,|and|&)\s*[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+){0,3})*\s*$")
DATELINE = re.compile(r"^\s*(updated|published|posted|last updated|publicado|atualizado|actualizado|"
                      r"mis à jour|publié|aktualisiert|veröffentlicht)\b", re.I)
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE_LIKE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](19|20)?\d{2}\b|\b\d{1,2}:\d{2}\b|"
                       r"\b(19|20)\d{2}-\d{2}-\d{2}\b|"
                       rf"\b{_MONTH}\s+\d{{1,2}}(st|nd|rd|th)?,?\s+(19|20)\d{{2}}\b|"
                       rf"\b\d{{1,2}}(st|nd|rd|th)?\s+{_MONTH}\s+(19|20)\d{{2}}\b", re.I)
TAGS_HEADING = re.compile(r"^\s*(tags|tagged|topics|keywords|filed under|categories)\s*:?\s*$", re.I)
TAGS_LINE = re.compile(r"^\s*(tags|tagged( with)?|topics|keywords|filed under)\s*:", re.I)
PIPE_LIST = re.compile(r"\S\s+\|\s+\S")


def _is_dateline(s: str, words: int) -> bool:
    """'Updated at 1:23 p.m.', '05/10/2018 - Posted by ...', a weekday-and-date line: metadata, not text."""
    if words > 14 or s.startswith(("\u2014", "\u2013", "-")):  # "— Name (@handle) May 1, 2019" cites a post
        return False
    return bool(DATELINE.match(s)) or (bool(DATE_LIKE.search(s)) and not s.rstrip().endswith((".", "?", "!")))


def is_boilerplate_line(line: str) -> bool:
    """True for a line that is navigation, a prompt, a byline, a caption or a list of story links."""
    s = line.strip()
    if not s:
        return True
    words = len(s.split())
    if s.startswith("|"):  # a table row (trafilatura writes tables as | a | b |): part of the story
        return bool(TABLE_RULE.match(s))
    if LINK_LIST.match(s) and (words <= 25 or PIPE_LIST.search(s)):
        return True
    if (PROMPT.match(s) and words <= 30) or (NEWSLETTER.search(s) and words <= 40):
        return True
    if (FOLLOW.search(s) or CONTRIBUTED.search(s)) and words <= 40:
        return True
    if BYLINE.match(s) or TAGS_LINE.match(s) or _is_dateline(s, words):
        return True
    if CREDIT.match(s) and words <= 8:  # "© Reuters"; a long rights notice may be the story's
        return True
    # "A | B | C": short items separated by pipes are a link row, not prose
    parts = [p.strip() for p in s.split("|")]
    return len(parts) >= 3 and all(len(p.split()) <= 12 for p in parts)


def _is_tag_list(line: str) -> bool:
    """The line after a "Tags" heading: comma-separated keywords, no sentence."""
    s = line.strip()
    return bool(s) and not s.endswith((".", "?", "!")) and all(len(p.split()) <= 6 for p in s.split(","))


def clean_text(text: str) -> str:
    """Drop boilerplate lines (and the keyword list under a "Tags" heading); collapse whitespace."""
    lines = text.splitlines()
    kept: list[str] = []
    skip_next = False
    for line in lines:
        if skip_next and _is_tag_list(line):
            skip_next = False
            continue
        skip_next = bool(TAGS_HEADING.match(line))
        if not skip_next and not is_boilerplate_line(line):
            kept.append(" ".join(line.split()))
    return "\n".join(kept)
