import pytest

from core.config import ConfigError, load_settings


def write(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_and_paths_as_written(tmp_path):
    s = load_settings(write(tmp_path, 'seeds = ["https://n.example/a"]\ndb = "rel/w.duckdb"\n'))
    assert s.max_depth == 2 and s.allow_private_networks is False and s.relevance_threshold == 0.2
    assert str(s.db) == "rel/w.duckdb"
    assert s.full_user_agent.startswith("newsmon/") and s.contact_url in s.full_user_agent


def test_env_var(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSMON_CONFIG", str(write(tmp_path, 'seeds = ["https://n.example/a"]\n')))
    assert load_settings().seeds == ["https://n.example/a"]


@pytest.mark.parametrize(("text", "message"), [
    ('seeds = ["https://n.example/a"]\nmax_dept = 3\n', "max_dept: unknown key"),
    ('seeds = ["https://n.example/a"]\nmax_depth = "two"\n', "max_depth:"),
    ('seeds = ["https://n.example/a"]\nmax_depth = -1\n', "max_depth:"),
    ('seeds = ["ftp://n.example/a"]\n', "seeds"),
    ("seeds = []\n", "seeds"),
    ('seeds = ["https://n.example/a"]\nallow_private_networks = ["not-a-net"]\n', "allow_private_networks"),
    ('seeds = ["https://n.example/a"]\nrelevance_threshold = 2\n', "relevance_threshold"),
    ("seeds = [\n", "cannot read config"),
])
def test_bad_config_is_one_clear_line_naming_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, text))
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file_and_no_config(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSMON_CONFIG", raising=False)
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="NEWSMON_CONFIG"):
        load_settings()


@pytest.mark.parametrize(("line", "key"), [
    ('allow_private_networks = "yes"', "allow_private_networks"),   # not a boolean: never "allow all"
    ("per_host_delay_s = true", "per_host_delay_s"),                 # not a number
    ("retries = false", "retries"),
    ('max_pages = "10"', "max_pages"),
    ("relevance_threshold = true", "relevance_threshold"),
    ("allow_private_networks = [1]", "allow_private_networks"),
    ("revisit_after_s = [true]", "revisit_after_s"),
])
def test_values_must_have_their_own_toml_type(tmp_path, line, key):
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, f'seeds = ["https://n.example/a"]\n{line}\n'))
    assert f"{key}" in str(err.value)


def test_numbers_accept_integers_and_paths_strings(tmp_path):
    s = load_settings(write(tmp_path, 'seeds = ["https://n.example/a"]\nper_host_delay_s = 2\ndb = "w.duckdb"\n'
                                      "revisit_after_s = [60, 120.5]\n"))
    assert s.per_host_delay_s == 2.0 and str(s.db) == "w.duckdb" and s.revisit_after_s == [60.0, 120.5]


def test_an_error_never_prints_credentials(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, 'seeds = ["ftp://editor:s3cret@n.example/a"]\n'
                                      'alert_webhook_url = "hook://ops:hunter2@alerts.example/x"\n'))
    message = str(err.value)
    assert "s3cret" not in message and "hunter2" not in message and "editor" not in message
    assert "ftp://***@n.example/a" in message


def test_the_real_world_example_config_is_valid():
    from pathlib import Path

    from core.config import load_settings

    example = Path(__file__).resolve().parents[1] / "config" / "examples" / "xi-putin-call.toml"
    settings = load_settings(example)
    assert settings.seeds and settings.feeds and [s.provider for s in settings.search] == ["gdelt"]
    assert settings.search[0].endpoint == "https://api.gdeltproject.org/api/v2/doc/doc"
    assert settings.allow_private_networks is False  # a real-world config keeps the address policy
