"""Alerts: logged, posted once to a webhook (a receiver on 127.0.0.1), remembered in the warehouse."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from newsmon.alerts import raise_alerts
from newsmon.pipeline import run_cycle
from tests.conftest import make_settings


@pytest.fixture
def receiver():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers.get("User-Agent"), json.loads(body)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
    server.server_close()


def test_rising_and_new_article_alerts_are_posted_once(tmp_path, site, receiver, caplog):
    url, received = receiver
    settings = make_settings(tmp_path, site, alert_webhook_url=url, rising_recent_days=3, rising_baseline_days=14,
                             rising_min_articles=2, rising_z=1.5)
    run_cycle(settings)
    with caplog.at_level("WARNING", logger="newsmon.alerts"):
        alerts = raise_alerts(settings)
    kinds = [a.kind for a in alerts]
    assert kinds.count("new_article") == 8
    rising = {a.payload["entity"] for a in alerts if a.kind == "rising"}
    assert "Vladimir Putin" in rising
    assert all(a.payload["z"] >= 1.5 for a in alerts if a.kind == "rising")
    assert len(received) == len(alerts)
    agent, first = received[0]
    assert agent.startswith("newsmon/") and {"alert_id", "message", "kind"} <= set(first)
    assert sum("newsmon alert:" in r.message for r in caplog.records if r.name == "newsmon.alerts") == len(alerts)

    assert raise_alerts(settings) == []  # nothing new: nothing raised twice
    assert len(received) == len(alerts)
    con = duckdb.connect(str(settings.db), read_only=True)
    try:
        assert con.execute("select distinct delivery from alerts").fetchall() == [("posted",)]
    finally:
        con.close()


def test_unreachable_webhook_is_recorded_not_fatal(tmp_path, site):
    settings = make_settings(tmp_path, site, alert_webhook_url="http://127.0.0.1:9/hook")
    run_cycle(settings)
    alerts = raise_alerts(settings)
    assert alerts
    con = duckdb.connect(str(settings.db), read_only=True)
    try:
        deliveries = {d for (d,) in con.execute("select delivery from alerts").fetchall()}
    finally:
        con.close()
    assert deliveries == {"failed: ConnectionError", "failed: ConnectionError (an earlier alert of this run)"}


def test_a_first_run_raises_a_bounded_number_of_alerts(tmp_path, site, receiver, caplog):
    url, received = receiver
    settings = make_settings(tmp_path, site, alert_webhook_url=url, max_alerts_per_run=3)
    run_cycle(settings)
    with caplog.at_level("WARNING", logger="newsmon.alerts"):
        alerts = raise_alerts(settings)
    assert len(alerts) == 3 and len(received) == 3
    assert any("more alerts recorded without delivery" in r.message for r in caplog.records)
    con = duckdb.connect(str(settings.db), read_only=True)
    try:
        deliveries = dict(con.execute("select delivery, count(*) from alerts group by 1").fetchall())
    finally:
        con.close()
    assert deliveries["posted"] == 3 and deliveries["suppressed: over max_alerts_per_run (3)"] >= 5
    assert raise_alerts(settings) == []  # the suppressed ones are remembered, not raised next time


def test_a_webhook_that_fails_once_gets_the_alert_on_retry(tmp_path, site):
    received, calls = [], []

    class Flaky(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            calls.append(1)
            if len(calls) == 1:
                self.send_response(503)
            else:
                received.append(json.loads(body))
                self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = make_settings(tmp_path, site, alert_webhook_url=f"http://127.0.0.1:{server.server_address[1]}/",
                                 max_alerts_per_run=1)
        run_cycle(settings)
        assert len(raise_alerts(settings)) == 1
    finally:
        server.shutdown()
        server.server_close()
    assert len(calls) == 2 and len(received) == 1


def test_without_a_webhook_alerts_are_logged(tmp_path, site, caplog):
    settings = make_settings(tmp_path, site)
    run_cycle(settings)
    with caplog.at_level("WARNING", logger="newsmon.alerts"):
        alerts = raise_alerts(settings)
    mine = [r for r in caplog.records if r.name == "newsmon.alerts"]
    assert alerts and len(mine) == len(alerts) and all("newsmon alert:" in r.message for r in mine)
