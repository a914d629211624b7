"""Deployment secrets: `make secrets` writes strong ones privately; a missing, weak or old default secret
stops the compose stack's init service (and so every service after it) with a message saying what to do."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from newsmon import deploy


def env_values(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))


def test_make_secrets_writes_a_private_env_with_strong_values_and_keeps_an_existing_one(tmp_path):
    path = deploy.write_env(tmp_path / ".env")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    values = env_values(path)
    assert deploy.problems(values) == []
    assert values["NEWSMON_BIND"] == "127.0.0.1" and values["AIRFLOW_UID"] == str(os.getuid())
    with pytest.raises(FileExistsError, match="--force"):
        deploy.write_env(path)
    assert env_values(path) == values
    again = env_values(deploy.write_env(path, force=True))
    assert all(again[name] != values[name] for name in deploy.SECRETS)  # fresh, not reused


@pytest.mark.parametrize(("value", "says"), [("", "is missing"), ("change-me", "known default"),
                                             ("airflow", "known default"), ("short", "shorter than")])
def test_weak_secrets_are_named(value, says):
    found = deploy.problems({"AIRFLOW_JWT_SECRET": value}, ["AIRFLOW_JWT_SECRET"])
    assert len(found) == 1 and found[0].startswith("AIRFLOW_JWT_SECRET") and says in found[0]


def test_a_fernet_key_must_be_a_real_key():
    assert deploy.problems({"AIRFLOW_FERNET_KEY": "x" * 44}, ["AIRFLOW_FERNET_KEY"])[0].endswith(
        "is not a valid key (Airflow's encryption of connections and variables)")


def test_check_refuses_to_start_with_the_old_defaults_and_says_how_to_fix_it(tmp_path):
    old = {"POSTGRES_PASSWORD": "airflow", "AIRFLOW_JWT_SECRET": "change-me", "AIRFLOW_FERNET_KEY": "",
           "AIRFLOW_ADMIN_PASSWORD": "admin", "DASHBOARD_PASSWORD": "admin"}
    run = subprocess.run([sys.executable, "-m", "newsmon.deploy", "check"], capture_output=True, text=True,
                         env={**os.environ, **old}, timeout=60)
    assert run.returncode == 1
    for name in old:
        assert f"refusing to start: {name}" in run.stderr
    assert "make secrets" in run.stderr
    good = env_values(deploy.write_env(tmp_path / ".env"))
    ok = subprocess.run([sys.executable, "-m", "newsmon.deploy", "check"], capture_output=True, text=True,
                        env={**os.environ, **good}, timeout=60)
    assert ok.returncode == 0, ok.stderr


def test_the_api_servers_login_file_is_written_from_the_environment(tmp_path):
    target = tmp_path / "passwords.json"
    env = {**os.environ, "AIRFLOW_ADMIN_PASSWORD": "s3cret-but-long-enough"}
    run = subprocess.run([sys.executable, "-m", "newsmon.deploy", "passwords", str(target)], env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert target.read_text() == '{"admin": "s3cret-but-long-enough"}'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    weak = subprocess.run([sys.executable, "-m", "newsmon.deploy", "passwords", str(target)], capture_output=True,
                          env={**os.environ, "AIRFLOW_ADMIN_PASSWORD": "admin"}, text=True, timeout=60)
    assert weak.returncode == 1 and "known default" in weak.stderr
