"""The dashboard's pure parts: series shaping, colours that depend on the name only, crawled text kept as
text."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard import data, ui


def series(values: dict[str, list[int]], day_articles: list[int]) -> pd.DataFrame:
    days = pd.date_range("2022-06-01", periods=len(day_articles))
    return pd.concat([pd.DataFrame({"day": days, "name": name, "articles": counts, "mentions": [2 * c for c in counts],
                                    "day_articles": day_articles}) for name, counts in values.items()])


def test_share_is_the_days_articles_and_smoothing_sums_before_dividing():
    frame = series({"A": [1, 0, 2, 0, 0, 0, 0, 3]}, [2, 0, 4, 1, 1, 1, 1, 3])
    share = data.shape_series(frame, "Share")
    assert list(share["value"]) == [0.5, 0.0, 0.5, 0, 0, 0, 0, 1.0]  # a day without articles is 0, not NaN
    smooth = data.shape_series(frame, "Share", smooth=True)
    assert smooth["value"].iloc[-1] == pytest.approx(5 / 11)  # 7 days' articles over their total, not a mean
    mentions = data.shape_series(frame, "Mentions", smooth=True)
    assert mentions["value"].iloc[2] == pytest.approx((2 + 0 + 4) / 7)


def test_a_colour_depends_on_the_name_not_on_what_else_is_drawn():
    ranked = ["China", "Beijing", "Chinese", "Xi Jinping", "Ukraine"]
    alone = data.colours(["Taiwan"], ranked)
    together = data.colours(["Taiwan", "China", "Vladimir Putin"], ranked)
    other = data.colours(["Vladimir Putin", "Beijing", "Taiwan", "Kremlin"], ranked)
    assert alone["Taiwan"] == together["Taiwan"] == other["Taiwan"]
    assert together["Vladimir Putin"] == other["Vladimir Putin"]
    assert together["China"] == data.PALETTE[0] and other["Beijing"] == data.PALETTE[1]
    top = data.colours(ranked, ranked)
    assert len(set(top.values())) == len(ranked)  # the largest entities never share a colour


def test_every_crawl_state_has_a_colour_of_its_own():
    """The states urls.state's comment lists, each in a colour no other state has."""
    sql = (Path(__file__).resolve().parents[2] / "warehouse" / "migrations" / "0008_self_describing.sql").read_text()
    listed = sql.split("comment on column urls.state is 'Ledger state: ")[1].split("';")[0]
    states = [part.strip().rstrip(".") for part in re.sub(r"\s*\([^)]*\)", "", listed).split(",")]
    assert len(states) == 11 and set(data.CRAWL_STATES) <= set(states)
    colour = data.colours(states, data.CRAWL_STATES)
    assert len(set(colour.values())) == len(states)


def test_names_that_own_no_colour_spread_over_twenty():
    names = [f"Entity {i}" for i in range(200)]
    assert len(set(data.colours(names).values())) == 20


@pytest.mark.parametrize("text", ["![p](http://127.0.0.1:9/t.png)", "<img src=x onerror=alert(1)>",
                                  "[click](javascript:alert(1))", "$x^2$ :red[alarm] :material/home:", "**bold** _it_"])
def test_plain_escapes_every_markdown_html_and_directive_character(text):
    escaped = ui.plain(text)
    for ch in "![]()<>:$*_^":
        assert f"\\{ch}" in escaped or ch not in text
    assert escaped.replace("\\", "") == text


def test_served_beyond_this_machine_errors_show_no_traceback():
    from dashboard.serve import server_command

    def option(command: list[str], name: str) -> str:
        return command[command.index(name) + 1]

    assert option(server_command("127.0.0.1"), "--client.showErrorDetails") == "full"
    assert option(server_command("0.0.0.0"), "--client.showErrorDetails") == "type"
    assert option(server_command("0.0.0.0"), "--browser.gatherUsageStats") == "false"
