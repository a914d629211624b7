"""The living sample site: editions that publish new related and unrelated articles, update one and
remove one, so scheduled monitoring can be shown and tested. Texts are generated from templates
written for this project.

Edition 0 is the static site. Edition k >= 1 adds one related follow-up on the Xi-Putin story and one
unrelated local item, both at the top of the feed; from UPDATE_AT on, a linked background article
carries an added paragraph (new ETag and Last-Modified); from REMOVE_AT on, another answers 410 Gone."""

from __future__ import annotations

from datetime import datetime, timedelta

UPDATED_SLUG = "taiwan-next-door"
REMOVED_SLUG = "bar-outbreak-testing"
UPDATE_AT = 2
REMOVE_AT = 4
FEED_SIZE = 8
UPDATE_PARAGRAPH = ("Update: Taiwan's defence ministry said on Thursday that it had tracked more Chinese aircraft "
                    "near the island overnight and that its reservist training would start a month early.")

_TOPICS = ["energy payments", "grain shipments", "a new gas pipeline", "border trade", "space cooperation",
           "banking links", "Arctic shipping", "nuclear power", "rail freight", "fertiliser exports",
           "airline routes", "tourism"]
_LOCAL = ["the lifeboat station", "the library roof", "a new bus shelter", "the farmers' market", "the swimming pool",
          "the harbour wall", "the carnival parade", "the allotment waiting list", "street lighting",
          "the cricket club", "the museum cafe", "the beach huts"]
_START = datetime.fromisoformat("2022-06-18T09:00:00+00:00")


def related_article(k: int) -> dict:
    """Edition k's follow-up on the seed story: Xi Jinping, Vladimir Putin, China and Russia."""
    topic = _TOPICS[(k - 1) % len(_TOPICS)]
    return {
        "slug": f"xi-putin-follow-up-{k}", "layout": "a", "related": [], "authors": ["Oleg Marsh"],
        "title": f"China and Russia talk {topic} after Xi and Putin call",
        "published": (_START + timedelta(hours=6 * k)).isoformat(),
        "body": [
            f"Officials in Beijing and Moscow met on day {k} of talks on {topic}, following last week's phone "
            "call between Xi Jinping and Vladimir Putin.",
            f"The Kremlin said Mr Putin wanted closer ties with China on {topic}, while the Chinese foreign "
            "ministry said President Xi backed a partnership that did not target any third country.",
            "Western governments have warned Beijing against helping Russia avoid sanctions over the war in "
            "Ukraine. Chinese officials say their trade with Russia is normal commerce.",
        ],
    }


def unrelated_article(k: int) -> dict:
    """Edition k's local item, about nothing the seed story is about."""
    subject = _LOCAL[(k - 1) % len(_LOCAL)]
    return {
        "slug": f"harbour-notes-{k}", "layout": "a", "related": [], "authors": ["Harriet Pugh"],
        "title": f"Harbour notes: volunteers rally round {subject}",
        "published": (_START + timedelta(hours=6 * k, minutes=30)).isoformat(),
        "body": [
            f"Volunteers spent the weekend working on {subject}, and organisers said more than forty people "
            "turned up with paint, ladders and flasks of tea.",
            "The parish committee thanked everyone who helped and said a raffle in the autumn would raise "
            "money for the next repairs. Tickets will be sold at the post office.",
        ],
    }


def edition_articles(edition: int) -> list[dict]:
    """The articles edition `edition` adds, newest first."""
    out = []
    for k in range(edition, 0, -1):
        out += [unrelated_article(k), related_article(k)]
    return out


def apply_edition(articles: list[dict], edition: int) -> tuple[list[dict], list[str], set[str]]:
    """(articles, feed slugs newest first, removed slugs) of the site at `edition`."""
    added = edition_articles(edition)
    arts = []
    for art in articles:
        if art["slug"] == UPDATED_SLUG and edition >= UPDATE_AT:
            art = {**art, "body": [*art["body"], UPDATE_PARAGRAPH],
                   "modified": (_START + timedelta(hours=6 * UPDATE_AT, minutes=15)).isoformat()}
        arts.append(art)
    removed = {REMOVED_SLUG} if edition >= REMOVE_AT else set()
    return arts + added, [a["slug"] for a in added], removed
