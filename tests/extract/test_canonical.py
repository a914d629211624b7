from core.canonical import canonical_url, host_of


def test_lowercases_scheme_and_host_and_drops_fragment():
    assert canonical_url("HTTP://News.Example.COM/World/Story#comments") == "http://news.example.com/World/Story"


def test_drops_tracking_parameters_and_keeps_others():
    url = "https://example.com/a?utm_source=x&id=7&fbclid=abc&gclid=1&UTM_Medium=y&page=2"
    assert canonical_url(url) == "https://example.com/a?id=7&page=2"


def test_drops_default_ports_only():
    assert canonical_url("https://example.com:443/a") == "https://example.com/a"
    assert canonical_url("http://example.com:80/a") == "http://example.com/a"
    assert canonical_url("http://example.com:8080/a") == "http://example.com:8080/a"


def test_resolves_relative_links_and_refuses_other_schemes():
    assert canonical_url("../b?utm_campaign=z", base="https://example.com/x/y/z") == "https://example.com/x/b"
    assert canonical_url("mailto:desk@example.com") is None
    assert canonical_url("javascript:void(0)") is None
    assert canonical_url("ftp://example.com/file") is None
    assert canonical_url("http://[::1]:99999/") is None  # bad port


def test_empty_path_becomes_slash_and_host_of():
    assert canonical_url("https://Example.com") == "https://example.com/"
    assert host_of("http://127.0.0.1:8765/news/a") == "127.0.0.1:8765"
