"""Case restoration for headlines and all-caps lines, so NER sees "Xi tells Putin China will..." the way
it sees body text. The article's own body says how each proper noun is written; everything else is
lower-cased. Only letter case changes, so character offsets stay valid.

Only text known to be a headline (the title) is restored when it is Title Case; in the body only
all-caps lines are. A Title Case body line is usually a list of names, a results table, a caption or a
byline ("Forwards - Tomas Brenner , Ilir Dacaj"), where lower-casing loses the names the model finds as
written. What the model finds on restored text only adds to what it finds on the original
(transform.entities.merge_spans)."""

from __future__ import annotations

import re

SMALL_WORDS = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "by", "with", "as",
               "vs", "v", "from", "into", "over", "per", "via", "nor", "up", "off"}
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


def proper_nouns(text: str) -> dict[str, str]:
    """lower-case -> written form of words capitalised in the middle of a sentence (names, acronyms)."""
    vocab: dict[str, str] = {}
    for line in text.splitlines():
        if is_all_caps(line):
            continue
        prev_end = None
        for m in _WORD.finditer(line):
            word = m.group()
            gap = line[prev_end:m.start()].strip() if prev_end is not None else "."
            starts_sentence = gap.endswith((".", "!", "?", ":", '"', "\u201c"))
            if word[0].isupper() and not starts_sentence:
                vocab.setdefault(word.lower(), word)
            prev_end = m.end()
    return vocab


def is_all_caps(line: str) -> bool:
    """True for a line of three words or more whose letters are mostly (over 70 %) capitals."""
    if len(line) > 300:  # a paragraph: str.isupper is cheap
        return line.isupper()
    if len(_WORD.findall(line)) < 3:
        return False
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) > 0.7


def needs_restoring(line: str) -> bool:
    """For a headline: True when it is all caps, or Title Case (most words capitalised), of three words
    or more."""
    if len(line) > 300 or is_all_caps(line):
        return is_all_caps(line)
    words = _WORD.findall(line)
    if len(words) < 3:
        return False
    # Title Case: every word capitalised but the small function words headline style leaves alone; a
    # sentence full of names still has lower-case words such as "met" or "said".
    return all(w[0].isupper() or w.lower() in SMALL_WORDS for w in words) and \
        sum(w[0].isupper() for w in words) >= 3


def _same_length(original: str, replacement: str) -> str:
    return replacement if len(replacement) == len(original) else original


def restore_line(line: str, vocab: dict[str, str]) -> str:
    """Rewrite one headline-cased line in sentence case, keeping the proper nouns in `vocab` (the ones
    the body knows, then the gazetteer's)."""
    out, pos, first = [], 0, True
    for m in _WORD.finditer(line):
        word = m.group()
        known = vocab.get(word.lower())
        if known is not None:
            new = known
        elif first:
            new = word[0] + word[1:].lower()
        else:
            new = word.lower()
        out.append(line[pos:m.start()])
        out.append(_same_length(word, new))
        pos, first = m.end(), False
    out.append(line[pos:])
    return "".join(out)


def restore_headline(line: str, vocab: dict[str, str]) -> str:
    """A headline in sentence case if it is all-caps or Title Case; unchanged otherwise."""
    return restore_line(line, vocab) if needs_restoring(line) else line


def restore_case(text: str, vocab: dict[str, str]) -> str:
    """Body text with each all-caps line restored; every other line (Title Case ones too) unchanged; same
    length."""
    lines = text.split("\n")
    return "\n".join(restore_line(line, vocab) if is_all_caps(line) else line for line in lines)
