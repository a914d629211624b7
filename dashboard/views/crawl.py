"""Crawl health: what happened to every URL newsmon found, why some failed, and the latest cycles."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboard import data, ui

wh, _, _ = ui.context()
st.title("Crawl health")
summary = data.crawl_summary(wh)
numbers = st.columns(5)
numbers[0].metric("URLs known", f"{summary['urls']:,}", help="Every URL discovered: the crawl ledger (table urls).")
numbers[1].metric("Articles", f"{summary['articles']:,}", help="URLs stored or unchanged on revisit.")
numbers[2].metric("Refused or failed", f"{summary['refused_or_failed']:,}", help="Failed, blocked (private "
                  "address) or disallowed by robots.txt.")
numbers[3].metric("Queued", f"{summary['queued']:,}",
                  help="Found but not fetched yet (over the page budget): a candidate again next cycle.")
numbers[4].metric("Due for a revisit", f"{summary['due']:,}")

st.subheader("URLs checked per day, by outcome")
if summary["last_check_day"] is None or str(summary["last_check_day"]) == "NaT":
    st.info("No URL has been fetched yet.")
else:
    last = ui.day(summary["last_check_day"])
    first = max(ui.day(summary["first_check_day"]), last - timedelta(days=29))
    st.caption(f"By the day of each URL's last check (not publication day): {first:%d %b} to {last:%d %b %Y}.")
    st.altair_chart(ui.bar_chart(data.crawl_days(wh, first, last), "state", "urls", first, last, "URLs",
                                 ranked=data.CRAWL_STATES), width="stretch")

st.subheader("Why URLs failed")
failures = data.crawl_failures(wh)
if failures.empty:
    st.success("No URL failed, was blocked or disallowed.")
else:
    ui.table(failures, {"reason": ui.TEXT("Reason", width="large"), "urls": ui.NUMBER("URLs", format="%d"),
                        "example_url": ui.TEXT("Example", width="large")}, key="failures")

activity = data.crawl_activity(wh)
left, right = st.columns(2)
with left:
    st.subheader("Publications")
    st.caption("Each snapshot readers saw, after its cycle's checks passed.")
    ui.table(activity["publications"], {"published_at": ui.DATETIME("Published (UTC)", format="YYYY-MM-DD HH:mm:ss"),
                                        "run_id": ui.TEXT("Run"), "articles": ui.NUMBER("Articles", format="%d")},
             key="publications")
with right:
    st.subheader("Loads")
    ui.table(activity["loads"], {"loaded_at": ui.DATETIME("Loaded (UTC)", format="YYYY-MM-DD HH:mm:ss"),
                                 "run_id": ui.TEXT("Run"), "articles": ui.NUMBER("Articles", format="%d"),
                                 "urls": ui.NUMBER("Ledger rows", format="%d"),
                                 "days": ui.NUMBER("Days refreshed", format="%d")}, key="loads")
st.subheader("Search requests")
if activity["searches"].empty:
    st.caption("No search source is configured (`[[search]]` in the config).")
else:
    ui.table(activity["searches"], {"requested_at": ui.DATETIME("Asked (UTC)", format="YYYY-MM-DD HH:mm"),
                                    "provider": ui.TEXT("Provider"), "query": ui.TEXT("Query", width="large"),
                                    "state": ui.TEXT("Outcome"), "http_status": ui.NUMBER("HTTP", format="%d"),
                                    "results": ui.NUMBER("Results", format="%d"), "detail": ui.TEXT("Detail")},
             key="searches")
