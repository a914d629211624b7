"""Write docs/img/dashboard-<page>.png: every dashboard page in headless Chromium, on the demo's warehouse.

Usage: python docs/screenshots.py [DB]   (default: var/demo/newsmon.duckdb, which `make demo` builds)
Needs Debian's chromium and chromium-driver."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"


def views(db: Path) -> dict[str, str]:
    """Page -> the URL path shown for it: the seed's story and its first person, so a page has content."""
    from warehouse.db import read_connection

    with read_connection(db) as con:
        story = con.execute("select story_id from stories order by outlets desc, size desc, story_id "
                            "limit 1").fetchone()
        person = con.execute("select name from entity_totals where type = 'PERSON' order by articles desc, name "
                             "limit 1").fetchone()
    return {"overview": "", "entities": f"entities?q={person[0] if person else ''}",
            "stories": f"stories?story={story[0] if story else ''}", "articles": "articles", "outlets": "outlets",
            "crawl": "crawl"}


def main(db: Path) -> None:
    from tests.dashboard.browser import PAGES, chromium, dashboard, screenshot, settled

    with tempfile.TemporaryDirectory() as tmp, dashboard(db.resolve(), Path(tmp)) as url, \
            chromium(Path(tmp) / "profile") as browser:
        for page, path in views(db).items():
            browser.get(f"{url}/{path}")
            settled(browser, PAGES[page])
            print(screenshot(browser, IMG / f"dashboard-{page}.png"))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "demo" / "newsmon.duckdb")
