"""Search sources: queries from the seeds' profile, provider requests and their answers, config checks."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from core.config import ConfigError, SearchSource, Settings, load_settings
from extract.search import build_query, parse_gdelt, parse_results, request_url

PROFILE = {"entities": [["China", "GPE", 0.9], ["Xi Jinping", "PERSON", 0.8], ["Beijing", "GPE", 0.5],
                        ["Vladimir Putin", "PERSON", 0.4], ["Kremlin", "ORG", 0.2]],
           "keywords": ["said", "jinping", "china", "sovereignty", "security"],
           "titles": ["Xi tells Putin China will keep backing Russia on sovereignty and security"]}


def test_the_query_quotes_the_most_salient_people_and_adds_a_headline_term():
    assert build_query(PROFILE) == '"Xi Jinping" "Vladimir Putin" china'
    no_titles = {**PROFILE, "titles": []}
    assert build_query(no_titles) == '"Xi Jinping" "Vladimir Putin" said'  # the most frequent keyword
    places = {"entities": [["China", "GPE", 0.9], ["Beijing", "GPE", 0.5]], "keywords": ["lockdown"]}
    assert build_query(places) == '"China" "Beijing" lockdown'  # places when there are no names
    assert build_query({}) is None


def test_the_gdelt_request_carries_its_parameters_within_limits():
    source = SearchSource(provider="gdelt", endpoint="http://127.0.0.1:9/api/v2/doc/doc", timespan="3d",
                          max_records=250, sourcelang="english")
    params = parse_qs(urlsplit(request_url(source, '"Xi Jinping" call')).query)
    assert params == {"query": ['"Xi Jinping" call sourcelang:english'], "mode": ["artlist"], "format": ["json"],
                      "maxrecords": ["250"], "timespan": ["3d"], "sort": ["datedesc"]}
    rss = SearchSource(provider="rss", endpoint="http://127.0.0.1:9/rss?q={query}&hl=en")
    assert request_url(rss, '"Xi Jinping" call') == "http://127.0.0.1:9/rss?q=%22Xi%20Jinping%22%20call&hl=en"


def test_gdelt_answers_are_read_and_its_text_errors_are_errors():
    body = (b'{"articles": [{"url": "https://news.example/a?utm_source=x", "title": "A", '
            b'"seendate": "20220615T103000Z"}, {"url": "ftp://bad"}, {"title": "no url"}]}')
    (hit,) = parse_gdelt(body)
    assert hit.url == "https://news.example/a" and hit.published_at.isoformat() == "2022-06-15T10:30:00+00:00"
    assert parse_gdelt(b"{}") == []
    with pytest.raises(ValueError, match=r"not a GDELT artlist answer: 'The specified phrase is too short\.'"):
        parse_gdelt(b"The specified phrase is too short.")
    with pytest.raises(ValueError, match="no articles list"):
        parse_gdelt(b'{"articles": 3}')


def test_rss_search_answers_are_read_with_feedparser():
    source = SearchSource(provider="rss", endpoint="http://127.0.0.1:9/rss?q={query}")
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>s</title><item><title>T</title>'
            b"<link>http://127.0.0.1:9/news/a</link><pubDate>Wed, 15 Jun 2022 09:30:00 +0100</pubDate></item>"
            b"</channel></rss>")
    (hit,) = parse_results(source, body, "http://127.0.0.1:9/rss?q=x")
    assert hit.url == "http://127.0.0.1:9/news/a" and hit.published_at.hour == 8


@pytest.mark.parametrize(("table", "message"), [
    ('provider = "bing"', "search.0.provider: Input should be 'gdelt' or 'rss'"),
    ('provider = "rss"\nendpoint = "http://x/search"', "an rss search endpoint needs a {query} placeholder"),
    ('provider = "gdelt"\nmax_records = 500', "search.0.max_records: Input should be less than or equal to 250"),
    ('provider = "gdelt"\ntimespan = "7 days"', "search.0.timespan: String should match pattern"),
    ('provider = "gdelt"\napi_key = "x"', "search.0.api_key: unknown key"),
])
def test_a_bad_search_table_is_refused_naming_the_key(tmp_path, table, message):
    path = tmp_path / "c.toml"
    path.write_text(f'seeds = ["http://127.0.0.1/a"]\n[[search]]\n{table}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("{", r"\{").replace("}", r"\}")):
        load_settings(path)


def test_search_tables_are_read_as_documented(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('seeds = ["http://127.0.0.1/a"]\n[[search]]\nprovider = "gdelt"\n'
                    'endpoint = "https://api.gdeltproject.org/api/v2/doc/doc"\ntimespan = "7d"\nmax_records = 100\n'
                    '[[search]]\nprovider = "rss"\nendpoint = "https://news.example/rss/search?q={query}"\n',
                    encoding="utf-8")
    settings = load_settings(path)
    assert [s.provider for s in settings.search] == ["gdelt", "rss"]
    assert settings.search[0] == SearchSource(provider="gdelt")  # the documented defaults
    assert Settings(seeds=["http://127.0.0.1/a"]).search == []
