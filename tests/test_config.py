import pytest

from newsmon.config import ConfigError, load_settings


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
