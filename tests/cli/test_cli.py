"""The documented CLI, run as a real process."""

import json
import os
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import FIXTURES, make_settings, write_config

PARSE_KEYS = ["source", "url", "canonical_url", "title", "authors", "published_at", "published_day", "language", "text"]


def newsmon(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "newsmon", *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def snapshot(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(con.execute(f"select * from {t}").fetchall(), key=str)
                for t in ("articles", "entities", "mentions")} | {
            "urls": sorted(con.execute("select url, article_id from urls").fetchall(), key=str)}
    finally:
        con.close()


def test_run_twice_changes_no_rows_and_revalidates(tmp_path, fresh_site):
    # every stored page due again at once (the default waits an hour before the first revisit)
    config = write_config(tmp_path / "newsmon.toml", make_settings(tmp_path, fresh_site, revisit_after_s=[0.0]))
    first = newsmon("run", "--config", str(config))
    assert first.returncode == 0, first.stderr
    assert "stored 8" in first.stderr and "data checks passed" in first.stderr
    before = snapshot(tmp_path / "newsmon.duckdb")
    assert len(before["articles"]) == 8
    downloads_first = sum(1 for h in fresh_site.hits if h.status == 200 and h.path.startswith("/news/"))
    assert downloads_first >= 8
    seen = len(fresh_site.hits)

    second = newsmon("--config", str(config), "run")  # the global --config spelling
    assert second.returncode == 0, second.stderr
    assert snapshot(tmp_path / "newsmon.duckdb") == before
    again = [h for h in fresh_site.hits[seen:] if h.path.startswith(("/news/", "/amp/"))]
    assert again, "second run made no article requests"
    assert all(h.if_none_match for h in again)
    assert all(h.status == 304 for h in again)
    assert "unchanged 8" in second.stderr


def test_bad_config_exits_2_with_one_line_naming_the_key(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('seeds = ["https://n.example/a"]\nper_host_delay = 1\n', encoding="utf-8")
    res = newsmon("run", "--config", str(config))
    assert res.returncode == 2
    assert "per_host_delay: unknown key" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_trends_from_env_config(tmp_path, site):
    settings = make_settings(tmp_path, site)
    config = write_config(tmp_path / "newsmon.toml", settings)
    env = {"NEWSMON_CONFIG": str(config)}
    missing = newsmon("trends", env=env)
    assert missing.returncode == 1 and "newsmon run" in missing.stderr
    assert newsmon("run", env=env).returncode == 0
    res = newsmon("trends", "--entity", "xi jinping", env=env)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert lines[0].split("\t") == ["day", "name", "type", "mentions", "articles", "salience"]
    assert len(lines) > 1 and all("\tXi Jinping\tPERSON\t" in line for line in lines[1:])
    days = newsmon("trends", "--days", "1", env=env).stdout.strip().splitlines()[1:]
    assert len({line.split("\t")[0] for line in days}) == 1


def test_parse_prints_one_json_line_per_file(tmp_path):
    files = [FIXTURES / "article_jsonld.html", FIXTURES / "article_url_date.html.gz"]
    res = newsmon("parse", "--url", "https://isles.example/2022/06/11/lighthouse-keeper", *map(str, files))
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 2
    assert list(rows[0]) == [*PARSE_KEYS, "entities"]
    assert rows[0]["title"] == "Harbour council approves new sea wall"
    assert rows[0]["published_at"] == "2022-06-14T15:30:00+00:00"
    assert rows[1]["published_at"] == "2022-06-11T00:00:00+00:00"  # from --url
    for row in rows:
        for ent in row["entities"]:
            assert row["text"][ent["start"]:ent["end"]] == ent["text"]
            assert set(ent) == {"start", "end", "text", "label", "entity"}
    assert any(e["entity"] == "Port Ardent" for e in rows[0]["entities"])


def test_parse_no_entities_and_not_article(tmp_path):
    res = newsmon("parse", "--no-entities", str(FIXTURES / "article_meta_only.html"), str(FIXTURES / "index_page.html"))
    assert res.returncode == 1
    ok, bad = (json.loads(line) for line in res.stdout.splitlines())
    assert list(ok) == PARSE_KEYS
    assert bad["error"].startswith("not an article")


def test_parse_many_files_in_workers_keeps_order_and_reports_each_bad_file(tmp_path):
    """From 24 files on, parse forks workers: the rows come out in argument order, equal to the rows
    parsed one by one in the command's own process, and each bad file has its error row and line."""
    from newsmon.cli import PARSE_WORKERS_FROM, _parse_file

    good = [FIXTURES / n for n in ("article_jsonld.html", "article_meta_only.html", "article_boilerplate.html",
                                   "index_page.html", "article_url_date.html.gz")]
    files = [good[n % len(good)] for n in range(PARSE_WORKERS_FROM + 6)]
    files[7] = tmp_path / "missing.html"
    res = newsmon("parse", "--no-entities", *map(str, files))
    assert res.returncode == 1
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert rows == [_parse_file(path, "")[0] for path in files]
    assert [r["source"] for r in rows] == [str(f) for f in files]
    assert rows[7]["error"] == "not an article: no such file"
    assert res.stderr.count("no such file") == 1 and res.stderr.count("index_page.html") == len(files) // 5


def test_entities_reads_json_lines(tmp_path):
    lines = [{"id": 1, "text": "Mr Xi spoke to Xi Jinping's ally Vladimir Putin in Moscow."},
             {"id": "b", "text": "Ben Wallace said Mr Wallace would visit Taiwan."}]
    stdin = "".join(json.dumps(x) + "\n" for x in lines) + "not json\n"
    res = newsmon("entities", stdin=stdin)
    assert res.returncode == 1 and "line 3" in res.stderr
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, "b"]
    assert {e["entity"] for e in out[0]["entities"]} >= {"Xi Jinping", "Vladimir Putin", "Moscow"}
    assert [e["entity"] for e in out[1]["entities"] if e["label"] == "PERSON"] == ["Ben Wallace", "Ben Wallace"]


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["parse", "--help"], ["trends", "--help"],
                                  ["stories", "--help"], ["sql", "--help"], ["check", "--help"]])
def test_help(args):
    res = newsmon(*args)
    assert res.returncode == 0 and "Usage" in res.stdout


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory, site):
    tmp = tmp_path_factory.mktemp("trends")
    config = write_config(tmp / "newsmon.toml", make_settings(tmp, site))
    assert newsmon("run", "--config", str(config)).returncode == 0
    return config


def test_trends_rising_with_since_and_formats(sample_warehouse):
    config = str(sample_warehouse)
    rising = newsmon("trends", "-c", config, "--rising", "--days", "3", "--baseline-days", "10",
                     "--min-articles", "2", "--format", "json")
    assert rising.returncode == 0, rising.stderr
    rows = json.loads(rising.stdout)
    assert rows and {"name", "recent_articles", "baseline_articles", "ratio", "z"} <= set(rows[0])
    assert all(r["recent_articles"] >= 2 for r in rows)
    assert [r["z"] for r in rows] == sorted((r["z"] for r in rows), reverse=True)
    names = {r["name"] for r in rows}
    assert {"Vladimir Putin", "Kremlin"} <= names  # in the last three days' stories only

    together = newsmon("trends", "-c", config, "--with", "Xi Jinping", "--format", "csv")
    assert together.returncode == 0, together.stderr
    lines = together.stdout.splitlines()
    assert lines[0] == "name,type,articles_together,articles_with_other,articles_with_entity,lift,pmi"
    assert any(line.startswith("Vladimir Putin,PERSON,") for line in lines[1:])

    since = newsmon("trends", "-c", config, "--since", "2022-06-16", "--format", "json", "--limit", "500")
    days = {r["day"] for r in json.loads(since.stdout)}
    assert days == {"2022-06-16", "2022-06-17"}

    bad = newsmon("trends", "-c", config, "--format", "xml")
    assert bad.returncode == 2 and "--format must be one of" in bad.stderr
    both = newsmon("trends", "-c", config, "--rising", "--with", "China")
    assert both.returncode == 2


def test_stories_and_one_storys_trends(sample_warehouse):
    config = str(sample_warehouse)
    listed = newsmon("stories", "-c", config, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    stories = json.loads(listed.stdout)
    assert stories and {"story_id", "label", "first_day", "last_day", "articles", "copies", "outlets"} == \
        set(stories[0])
    call = next(s for s in stories if "Vladimir Putin" in s["label"])
    trend = newsmon("trends", "-c", config, "--story", call["story_id"], "--entity", "Vladimir Putin",
                    "--format", "json")
    assert trend.returncode == 0, trend.stderr
    rows = json.loads(trend.stdout)
    assert rows and all(r["name"] == "Vladimir Putin" for r in rows)
    assert sum(r["articles"] for r in rows) <= call["articles"]
    unknown = newsmon("trends", "-c", config, "--story", "nope")
    assert unknown.returncode == 1 and "no story 'nope'" in unknown.stderr and "newsmon stories" in unknown.stderr
    both = newsmon("trends", "-c", config, "--story", call["story_id"], "--rising")
    assert both.returncode == 2 and "ask one at a time" in both.stderr


def test_trends_resolves_any_spelling_and_names_close_ones_for_a_typo(sample_warehouse):
    config = str(sample_warehouse)
    by_alias = newsmon("trends", "-c", config, "--with", "xi", "--format", "csv")
    assert by_alias.returncode == 0, by_alias.stderr
    assert "'xi' is Xi Jinping (PERSON" in by_alias.stderr
    assert by_alias.stdout == newsmon("trends", "-c", config, "--with", "Xi Jinping", "--format", "csv").stdout
    daily = newsmon("trends", "-c", config, "--entity", "mr xi", "--format", "json")
    assert daily.returncode == 0 and {r["name"] for r in json.loads(daily.stdout)} == {"Xi Jinping"}
    typo = newsmon("trends", "-c", config, "--with", "Tawian")
    assert typo.returncode == 1 and typo.stdout == ""
    assert "no entity named 'Tawian'; did you mean: Taiwan?" in typo.stderr


def test_sql_runs_on_the_snapshot_in_every_format(sample_warehouse):
    config = str(sample_warehouse)
    plain = newsmon("sql", "-c", config, "select count(*) as n from articles")
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == "n\n8\n"
    as_json = newsmon("sql", "-c", config, "select name, articles from entity_totals order by articles desc, name "
                      "limit 2", "--format", "json")
    rows = json.loads(as_json.stdout)
    assert [set(r) for r in rows] == [{"name", "articles"}] * 2 and isinstance(rows[0]["articles"], int)
    as_csv = newsmon("sql", "-c", config, "select title from articles where relation = 'seed'", "--format", "csv")
    assert as_csv.stdout.splitlines() == ["title", "Xi tells Putin China will keep backing Russia on sovereignty "
                                          "and security"]
    piped = newsmon("sql", "-c", config, stdin="select 1 as a;\nselect count(*) as n from stories;\n")
    assert piped.returncode == 0 and piped.stdout.splitlines()[0] == "n"
    bad = newsmon("sql", "-c", config, "select * from no_such_table")
    assert bad.returncode == 1 and "no_such_table" in bad.stderr and bad.stdout == ""
    write = newsmon("sql", "-c", config, "delete from articles")
    assert write.returncode == 1 and "read-only" in write.stderr.lower()
    assert newsmon("sql", "-c", config, "select count(*) from articles").stdout.splitlines()[1] == "8"


def test_sql_prompt_lists_tables_with_comments_and_runs_statements(sample_warehouse, monkeypatch, capsys):
    from core.config import load_settings
    from newsmon.sqlshell import shell

    lines = iter([".tables", ".schema stories", "select count(*)", "  as n from articles;", "select nope;",
                  ".quit", "select 'never read';"])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(lines))
    failed = shell(load_settings(sample_warehouse).db)
    out = capsys.readouterr()
    assert failed == 1 and "nope" in out.err
    assert "crawl ledger" in out.out and "article_list" in out.out and "cooccurrence" in out.out
    assert "Readable label" in out.out  # .schema stories shows the column comments
    assert "never read" not in out.out and "8" in out.out


def test_check_runs_every_data_check_on_the_whole_warehouse_and_names_what_fails(tmp_path, site):
    config = str(write_config(tmp_path / "newsmon.toml", make_settings(tmp_path, site)))
    missing = newsmon("check", "--config", config)
    assert missing.returncode == 1 and "newsmon run" in missing.stderr  # no warehouse yet
    assert newsmon("run", "--config", config).returncode == 0
    ok = newsmon("check", "--config", config)
    assert ok.returncode == 0, ok.stderr
    assert "data checks passed on the whole warehouse" in ok.stderr and "(8 articles" in ok.stderr
    con = duckdb.connect(str(tmp_path / "newsmon.duckdb"))
    con.execute("update entity_totals set articles = articles + 1 where name = 'Xi Jinping'")
    con.execute("insert into urls select * from urls limit 1")
    con.close()
    bad = newsmon("check", "--config", config)
    assert bad.returncode == 1
    assert "entity_totals_match_marts (1 rows" in bad.stderr and "urls_unique (1 rows" in bad.stderr
