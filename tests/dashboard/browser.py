"""The dashboard as users meet it: `newsmon dashboard` as a process and Debian's headless Chromium driven by
selenium. Used by the browser tests and by docs/screenshots.py (the screenshots in the docs)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
PAGES = {"overview": "Overview", "entities": "Entities", "stories": "Stories", "articles": "Articles",
         "outlets": "Outlets", "crawl": "Crawl health"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dashboard(db: Path, workdir: Path) -> Iterator[str]:
    """`newsmon dashboard` on the warehouse `db` (a config written to workdir); yields its base URL."""
    port = free_port()
    config = workdir / "dashboard.toml"
    config.write_text(f'seeds = ["https://news.example/seed"]\ndb = "{db}"\n', encoding="utf-8")
    log = (workdir / "dashboard.log").open("wb")
    command = [sys.executable, "-m", "newsmon", "dashboard", "--config", str(config), "--port", str(port)]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None:
                raise AssertionError(f"newsmon dashboard exited: {(workdir / 'dashboard.log').read_text()[-2000:]}")
            time.sleep(0.2)
        else:
            raise AssertionError("newsmon dashboard did not start listening in 90 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextlib.contextmanager
def chromium(profile: Path, downloads: Path | None = None, width: int = 1440) -> Iterator[object]:
    """Headless Chromium with a fresh profile, no background traffic; downloads land in `downloads`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--window-size={width},1000", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    if downloads is not None:
        downloads.mkdir(parents=True, exist_ok=True)
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads),
                                                               "eventsEnabled": True})
    try:
        yield driver
    finally:
        driver.quit()


def settled(driver: object, title: str, timeout: float = 90) -> str:
    """Wait until the page's main area shows `title`, the page has stopped running its script and drawn its
    charts, and its text is the same on two polls in a row (Streamlit shows its running indicator a moment
    after a run starts, and draws elements as the script reaches them: a loaded machine showed a page read
    between two elements); return the page's text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    last = {"body": None}

    def ready(d: object) -> bool:
        if not _ready(d):
            last["body"] = None
            return False
        body = d.find_element(By.CSS_SELECTOR, "[data-testid='stMain']").text
        stable, last["body"] = body == last["body"], body
        return stable

    def _ready(d: object) -> bool:
        # the page's own area: the navigation names every page from the first frame on
        main = d.find_elements(By.CSS_SELECTOR, "[data-testid='stMain']")
        body = main[0].text if main else ""
        running = d.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']")
        charts = d.find_elements(By.CSS_SELECTOR, "[data-testid='stVegaLiteChart']")
        drawn = d.find_elements(By.CSS_SELECTOR, "[data-testid='stVegaLiteChart'] canvas, "
                                                 "[data-testid='stVegaLiteChart'] svg")
        return title in body and not running and len(drawn) >= len(charts)

    WebDriverWait(driver, timeout, poll_frequency=0.5).until(ready)
    time.sleep(0.8)  # the last frame of the charts' drawing
    return driver.find_element(By.TAG_NAME, "body").text


def screenshot(driver: object, path: Path, width: int = 1440) -> Path:
    """The whole page (not only the window) as a PNG."""
    height = driver.execute_script(
        "const m = document.querySelector('[data-testid=\"stMain\"]');"
        "return Math.max(document.body.scrollHeight, m ? m.scrollHeight : 0);")
    driver.set_window_size(width, min(max(900, int(height) + 80), 6000))
    time.sleep(1.0)
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    driver.set_window_size(width, 1000)
    return path


def downloaded(folder: Path, name: str, timeout: float = 30) -> Path:
    """The file `name` once Chromium has finished writing it into `folder`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        path = folder / name
        if path.exists() and not any(p.suffix == ".crdownload" for p in folder.iterdir()):
            return path
        time.sleep(0.2)
    raise AssertionError(f"no {name} in {folder}: {sorted(p.name for p in folder.iterdir())}")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    missing = " and ".join(n for n, p in (("chromium", CHROMIUM), ("chromedriver", DRIVER)) if not p)
    return f"{missing} not installed: apt-get install chromium chromium-driver" if missing else None


def env_ci() -> bool:
    return bool(os.environ.get("CI"))
