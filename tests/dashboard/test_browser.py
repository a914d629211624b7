"""The dashboard in Debian's headless Chromium, served by `newsmon dashboard` on the demo's warehouse: every
page renders (a screenshot of each is kept in test-artifacts/), a filter changes the URL and the data, the
link restores the view, the chart's data has zeros on gap days, downloads work, and crawled text never
becomes markup. .ci/run installs chromium and chromium-driver; elsewhere the tests are skipped with a
message when they are absent."""

from __future__ import annotations

import http.server
import shutil
import threading
import time
import urllib.parse
from datetime import date, timedelta
from typing import ClassVar

import pandas as pd
import pytest

from tests.dashboard.browser import (
    PAGES,
    ROOT,
    chromium,
    dashboard,
    downloaded,
    env_ci,
    missing_browser,
    screenshot,
    settled,
)

ARTIFACTS = ROOT / "test-artifacts"
REASON = missing_browser()
if REASON and not env_ci():
    pytest.skip(REASON, allow_module_level=True)
elif REASON:  # CI requires the browser: one line naming what is missing and how to install it
    pytest.fail(REASON, pytrace=False)


@pytest.fixture(scope="module")
def served(network_db, tmp_path_factory):
    with dashboard(network_db, tmp_path_factory.mktemp("dashboard")) as url:
        yield url


@pytest.fixture(scope="module")
def chromium_once(tmp_path_factory):
    """One Chromium for the module: a launch costs seconds of CPU, and each test gets a clean one below."""
    with chromium(tmp_path_factory.mktemp("chromium") / "profile") as driver:
        yield driver


@pytest.fixture
def browser(chromium_once, tmp_path):
    """The module's Chromium on a blank page with no cookies and an empty cache (a cached resource would
    hide a fetch from the hostile-text test's tracker), downloading into this test's own folder."""
    driver = chromium_once
    driver.get("about:blank")
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": "*", "storageTypes": "all"})
    driver.downloads = tmp_path / "downloads"
    driver.downloads.mkdir()
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(driver.downloads),
                                                           "eventsEnabled": True})
    yield driver


def click_text(driver, text: str, tag: str = "*") -> None:
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.XPATH, f"//{tag}[normalize-space(.)='{text}']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_in_chromium(served, browser, page):
    from selenium.webdriver.common.by import By

    browser.get(f"{served}/" if page == "overview" else f"{served}/{page}")  # the default page lives at /
    text = settled(browser, PAGES[page])
    assert "Page not found" not in text  # Streamlit's dialog for a path it does not serve
    expected = {"overview": ["Attention over time", "Rising entities", "Latest articles"],
                "entities": ["Find an entity"], "stories": ["Xi Jinping · Vladimir Putin · China"],
                "articles": ["12 articles published from 20 Apr 2022 to 17 Jun 2022"],
                "outlets": ["Articles per outlet per day", "First to publish"],
                "crawl": ["URLs checked per day, by outcome", "Why URLs failed", "Search requests"]}[page]
    for words in expected:
        assert words in text, words
    errors = "[data-testid='stException'], [data-testid='stAlertContentError']"
    assert not browser.find_elements(By.CSS_SELECTOR, errors)
    shot = screenshot(browser, ARTIFACTS / f"dashboard-{page}.png")
    assert shot.stat().st_size > 20_000


def test_a_filter_changes_the_url_and_the_data_and_the_link_restores_it(served, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{served}/articles")
    assert "12 articles published" in settled(browser, "Articles")
    relation = browser.find_element(By.XPATH, "//label[normalize-space(.)='Relation']/following::input[1]")
    relation.click()
    relation.send_keys("seed", Keys.ENTER)
    deadline = time.monotonic() + 30
    while "relation=seed" not in browser.current_url and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "relation=seed" in browser.current_url
    text = settled(browser, "1 articles published")
    assert "12 articles published" not in text
    link = browser.current_url

    browser.get("about:blank")
    browser.get(link)  # the link alone reproduces the view
    assert "1 articles published" in settled(browser, "Articles")

    browser.get(f"{served}/entities")
    settled(browser, "Find an entity")
    box = browser.find_element(By.XPATH, "//label[normalize-space(.)='Find an entity']/following::input[1]")
    box.send_keys("mr xi", Keys.ENTER)
    text = settled(browser, "Xi Jinping")
    assert "Appears with" in text and "by its alias" in text
    assert urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)["q"] == ["mr xi"]


def test_the_charts_data_has_every_day_with_zeros_and_downloads_work(served, browser):
    import pyarrow.parquet as pq

    browser.get(f"{served}/?entities=Taiwan&entities=China&from=2022-06-01&to=2022-06-20")
    settled(browser, "Attention over time")
    click_text(browser, "Chart data", "p")
    time.sleep(1.0)
    click_text(browser, "Download CSV", "p")
    chart = pd.read_csv(downloaded(browser.downloads, "newsmon-attention-2022-06-01-2022-06-20.csv"))
    assert list(chart["day"]) == [str(date(2022, 6, 1) + timedelta(days=i)) for i in range(20)]
    assert chart.loc[chart["day"] == "2022-06-01", ["China", "Taiwan"]].values.tolist() == [[0, 0]]
    assert chart["Taiwan"].sum() >= 1 and chart["China"].sum() >= chart["Taiwan"].sum()

    browser.get(f"{served}/articles?relation=search")
    settled(browser, "Articles")
    click_text(browser, "Download Parquet", "p")
    rows = pq.read_table(downloaded(browser.downloads, "newsmon-articles-2022-04-20-2022-06-17.parquet")).to_pandas()
    assert len(rows) >= 5 and set(rows["relation"]) == {"search"}
    assert {"outlet", "found_via", "title", "url", "shared_with_seeds"} <= set(rows.columns)


class Tracker(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Tracker.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hostile(network_db, tmp_path):
    """The demo's warehouse with crawled text that tries to be markup: a title, an entity name and a story
    label pointing at a tracker on 127.0.0.1."""
    from warehouse.db import connect, publish

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tracker)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bait = f"http://127.0.0.1:{server.server_port}"
    db = tmp_path / "hostile.duckdb"
    shutil.copyfile(network_db, db)
    con = connect(db)
    markup = (f"![p]({bait}/md.png) <img src=\"{bait}/html.png\"> [x]({bait}/link) :red[red] "
              f"[js](javascript:fetch('{bait}/js'))")
    con.execute("update articles set title = ? where relation = 'seed'", [f"Seed {markup}"])
    con.execute("update entities set name = ? where name = 'Taiwan'", [f"Taiwan {markup}"])
    con.execute("update stories set label = ? where label like 'Xi Jinping%'", [f"Call {markup}"])
    con.execute("update entity_daily_mart set name = (select name from entities e where "
                "e.entity_id = entity_daily_mart.entity_id)")
    con.execute("update entity_totals set name = (select name from entities e where "
                "e.entity_id = entity_totals.entity_id)")
    story = con.execute("select story_id from stories where label like 'Call %'").fetchone()[0]
    con.close()
    publish(db)
    Tracker.hits = []
    try:
        yield db, story, f"Taiwan {markup}"
    finally:
        server.shutdown()


def test_crawled_text_is_shown_as_text_never_fetched(hostile, browser, tmp_path):
    db, story, entity = hostile
    with dashboard(db, tmp_path) as url:
        for path, title in [("/?entities=" + urllib.parse.quote(entity), "Overview"), ("/articles", "Articles"),
                            (f"/stories?story={story}", "Stories"), ("/stories", "Stories"),
                            ("/entities?q=" + urllib.parse.quote(entity), "Appears with"),
                            ("/entities?q=Taiwa", "Did you mean"), ("/outlets", "Outlets")]:
            browser.get(url + path)
            text = settled(browser, title)
            if "Appears with" in title:
                assert "![p](" in text  # the entity's name is on the page, as the characters it has
            time.sleep(0.5)
    assert Tracker.hits == [], f"the dashboard made the browser fetch {Tracker.hits}"

