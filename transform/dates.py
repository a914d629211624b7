"""When an article was published: the instant (UTC) and the day its publisher states, from one parsed page.

Two answers, because a page stamped `2020-02-15T07:00+09:00` was published on 14 February in UTC but on the
15th for its publisher and its readers. `at` is the instant (UTC; a stamp without a zone is read as UTC);
`day` is the calendar day in the stamp's own offset, and `offset_min` that offset when the page gives one.

The candidates, in order of trust:
1. JSON-LD `datePublished` (else `dateCreated`) of the page's Article object;
2. the publication meta tags (`article:published_time`, `pubdate`, `dc.date`, ...);
3. the article's own `<time>`: one marked `itemprop="datePublished"`, else the first `<time datetime>` inside
   the headline's block or the page's `<article>`, never one inside navigation, a sidebar, a footer, comments
   or a related-stories list (RULES["own_time"]; off: the first `<time datetime>` of the page);
4. the date in the URL (`/2023/11/08/`);
5. the feed item that listed the page;
6. the dateline: the one day printed in the short lines of the headline's block (RULES["dateline"]; see
   below), at midnight UTC;
7. htmldate's reading of the whole page, extensive search included (RULES["extensive"]).

Two cross-checks. A stamp in UTC (or without a zone) takes its day from the same instant stated
elsewhere on the page in the publisher's own offset (RULES["local_offset"]). A URL that states a day one
day away from the day of a stamp in UTC or without a zone wins for `day` (the zone was lost, or is UTC
for an evening story), while `at` keeps the stamp; a stamp in the publisher's own offset already states
its day (RULES["url_day"]).

And the dateline readers see: when the headline's block prints exactly one day in its short lines
(04.02.2022, 31.10.23, 2022-02-04, 4 February 2022, February 4, 2022; English, German and French month
names; a date inside a sentence is an event's, not the article's), the chosen stamp states
another, and some stamp of the page (its modified stamp, say, for a republished article) states the printed
day, `day` is the printed day and `at` keeps the chosen stamp (RULES["visible_day"]).

Each rule is judged in bench/dates.py by switching it off, on folds of hosts it was not derived from."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from lxml import html as lxml_html

from core.dates import as_written
from transform.metadata import MODIFIED_META

# /2023/11/08/ (the day a path segment of its own) or 2023-11-08 in a segment; not /2023/10/3-fragen-an,
# where a slug that starts with a number follows a year and a month
URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|\.html?|$)|"
                      r"[/_-]((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d])")
PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
                  "date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created", "sailthru.date",
                  "parsely-pub-date")
# Blocks that carry other stories' or readers' dates: a <time> inside them is not the article's.
NOT_OWN = re.compile(r"comment|related|sidebar|teaser|recommend|popular|trending|more-|widget|footer|"
                     r"breadcrumb|promo|newsletter|latest", re.I)
RULES = {"own_time": True, "local_offset": True, "url_day": True, "extensive": True, "visible_day": True,
         "dateline": True}
MODIFIED_KEYS = (*MODIFIED_META, "dc.date.modified")  # the modified stamps metadata reads, and Dublin Core's
DATELINE_WORDS = 12  # a text longer than this is a sentence, not a dateline
_MONTHS = {m: n for n, names in enumerate((
    "january jan januar janvier", "february feb februar février fevrier", "march mar märz maerz mars",
    "april apr avril", "may mai", "june jun juni juin", "july jul juli juillet", "august aug août aout",
    "september sep sept septembre", "october oct oktober okt octobre", "november nov novembre",
    "december dec dezember dez décembre decembre"), 1) for m in names.split()}
_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
# dates as pages print them: 04.02.2022, 2022-02-04, 4 February 2022 / 4. Februar 2022, February 4, 2022
VISIBLE_DATE = re.compile(
    r"\b(?P<d1>\d{1,2})\.\s?(?P<m1>\d{1,2})\.\s?(?P<y1>(?:19|20)?\d{2})\b|"
    r"\b(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{2})-(?P<d2>\d{2})\b|"
    rf"\b(?P<d3>\d{{1,2}})(?:\.|st|nd|rd|th|er)?\s+(?P<m3>{_MONTH})\.?\s+(?P<y3>(?:19|20)\d{{2}})\b|"
    rf"\b(?P<m4>{_MONTH})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>(?:19|20)\d{{2}})\b", re.I)


@dataclass(frozen=True)
class Published:
    """A publication time: the UTC instant, the publisher's stated day and offset, and where it was read."""

    at: datetime | None = None
    day: date | None = None
    offset_min: int | None = None
    source: str | None = None


def stated(value: object) -> Published | None:
    """A stamp as written: its UTC instant, its own calendar day and offset (None for a stamp without a
    zone, whose day is the day as written). None when `value` is not a date."""
    stamp = as_written(value)
    if stamp is None or not 1990 <= stamp.year <= 2100:
        return None
    offset = stamp.utcoffset()
    at = stamp.replace(tzinfo=UTC) if offset is None else stamp.astimezone(UTC)
    return Published(at=at, day=stamp.date(),
                     offset_min=None if offset is None else int(offset.total_seconds() // 60))


def url_day(url: str) -> date | None:
    if m := URL_DATE.search(urlsplit(url or "").path):
        year, month, day = m.group(1, 2, 3) if m[1] else m.group(4, 5, 6)
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            return None
    return None


def _inside_other_block(el: lxml_html.HtmlElement) -> bool:
    for anc in el.iterancestors():
        if anc.tag in ("nav", "aside", "footer"):
            return True
        marks = f"{anc.get('class') or ''} {anc.get('id') or ''}"
        if marks.strip() and NOT_OWN.search(marks):
            return True
    return False


def _headline_block(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The headline's block: up to three levels above the first h1 (None without an h1)."""
    h1 = tree.xpath("(//h1)[1]")
    if not h1:
        return None
    block = h1[0]
    for _ in range(3):
        parent = block.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        block = parent
    return block


def own_time(tree: lxml_html.HtmlElement) -> str | None:
    """The datetime of the article's own <time> (see the module's docstring), or None."""
    for el in tree.xpath('//*[@itemprop="datePublished"]'):
        value = el.get("datetime") or el.get("content")
        if value and not _inside_other_block(el):
            return value
    headline = _headline_block(tree)
    scopes = [headline] if headline is not None else []
    scopes.extend(tree.xpath("(//article)[1]"))
    for scope in scopes:
        for el in scope.iter("time"):
            if el.get("datetime") and not _inside_other_block(el):
                return el.get("datetime")
    return None


def visible_days(tree: lxml_html.HtmlElement) -> set[date]:
    """The days printed in the headline's block (the dateline readers see): in its short lines (a date
    in a sentence is an event's, not the article's), outside the headline itself and outside navigation,
    sidebars, comments and teasers. 31.10.23 is read as 2023."""
    block = _headline_block(tree)
    if block is None:
        return set()
    days = set()
    for text in block.xpath(".//text()[not(ancestor::h1) and not(ancestor::script) and not(ancestor::style)]"):
        parent = text.getparent()
        if parent is None or not any(ch.isdigit() for ch in text) or len(text.split()) > DATELINE_WORDS \
                or _inside_other_block(parent):
            continue
        for m in VISIBLE_DATE.finditer(text):
            g = m.groupdict()
            n = next(i for i in "1234" if g[f"y{i}"])
            month = g[f"m{n}"]
            year = int(g[f"y{n}"]) + (2000 if len(g[f"y{n}"]) == 2 else 0)
            try:
                days.add(date(year, int(month) if month.isdigit() else _MONTHS[month.lower()],
                              int(g[f"d{n}"])))
            except (ValueError, KeyError):
                continue
    return days


def first_time(tree: lxml_html.HtmlElement) -> str | None:
    found = tree.xpath("//time/@datetime")
    return str(found[0]) if found else None


def find_published(tree: lxml_html.HtmlElement, html: str | bytes, url: str, art: dict, meta: dict[str, str],
                   feed_published: datetime | None = None, rules: dict[str, bool] | None = None) -> Published:
    """The page's publication time (see the module's docstring); Published() when nothing gives one."""
    rules = {**RULES, **(rules or {})}
    stamps = [replace(p, source=source) for source, value in
              (("json-ld", art.get("datePublished") or art.get("dateCreated")),
               *(("meta", meta.get(key)) for key in PUBLISHED_META),
               ("time", own_time(tree) if rules["own_time"] else first_time(tree)))
              if value and (p := stated(value))]
    found = stamps[0] if stamps else None
    if found is not None and rules["local_offset"] and not found.offset_min:
        # the same instant stated elsewhere on the page in the publisher's own offset gives the local day
        for other in stamps[1:]:
            if other.offset_min and found.at and other.at and abs(other.at - found.at) <= timedelta(minutes=1):
                found = replace(found, day=other.day, offset_min=other.offset_min)
                break
    if found is not None and found.day is not None and rules["visible_day"]:
        # the page prints one day under its headline, and a stamp of the page states that day too (the
        # modified stamp, say, when the article was republished): that is the day the publisher states
        others = {p.day for p in stamps} | {p.day for key in MODIFIED_KEYS if (p := stated(meta.get(key)))}
        if (p := stated(art.get("dateModified"))) is not None:
            others.add(p.day)
        others.discard(found.day)
        if others:  # only a day some stamp states can win, so look at the page only when stamps disagree
            shown = visible_days(tree)
            if len(shown) == 1 and shown <= others:
                found = replace(found, day=shown.pop(), offset_min=None)
    in_url = url_day(url)
    if found is None and in_url is not None:
        found = Published(datetime(in_url.year, in_url.month, in_url.day, tzinfo=UTC), in_url, None, "url")
    if found is None and feed_published is not None and (p := stated(feed_published)):
        found = replace(p, source="feed")
    if found is None and rules["dateline"] and len(shown := visible_days(tree)) == 1:
        day = shown.pop()
        found = Published(datetime(day.year, day.month, day.day, tzinfo=UTC), day, None, "dateline")
    if found is None:
        found = _htmldate(html, url, extensive=rules["extensive"])
    if found is None:
        return Published()
    if rules["url_day"] and in_url is not None and found.day is not None and found.source != "url" \
            and not found.offset_min and abs(found.day - in_url) == timedelta(days=1):
        return replace(found, day=in_url)
    return found


def _htmldate(html: str | bytes, url: str, extensive: bool) -> Published | None:
    from htmldate import find_date

    try:
        day = find_date(html, url=url or None, original_date=True, extensive_search=extensive,
                        outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    if not day:
        return None
    d = date.fromisoformat(day)
    return Published(datetime(d.year, d.month, d.day, tzinfo=UTC), d, None, "htmldate")
