"""docker-compose.yml and the Dockerfile agree with the code (there is no Docker engine to run them here)."""

import re
from pathlib import Path

import yaml

from newsmon.config import load_settings

PROJECT = Path(__file__).resolve().parents[1]
AIRFLOW_SERVICES = {"airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                    "airflow-triggerer", "airflow-worker"}


def compose():
    return yaml.safe_load((PROJECT / "docker-compose.yml").read_text(encoding="utf-8"))


def mounts(service):
    return dict(v.split(":")[:2] for v in service["volumes"])


def test_official_layout_services():
    services = compose()["services"]
    assert {"postgres", "redis"} | AIRFLOW_SERVICES <= set(services)
    assert services["airflow-worker"]["command"] == "celery worker"
    assert services["airflow-dag-processor"]["command"] == "dag-processor"
    assert services["airflow-apiserver"]["command"] == "api-server"


def test_executor_dag_folder_and_config_match_the_code():
    services = compose()["services"]
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert "postgres" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
        volumes = mounts(services[name])
        dag_host = [h for h, c in volumes.items() if c == env["AIRFLOW__CORE__DAGS_FOLDER"]]
        assert dag_host == ["./dags"]
        assert (PROJECT / "dags" / "related_articles.py").exists()
        config_host = [h for h, c in volumes.items() if c == env["NEWSMON_CONFIG"]]
        assert len(config_host) == 1
        settings = load_settings(PROJECT / config_host[0])  # a valid config, by the code's own rules
        data_mount = next(c for h, c in volumes.items() if h == "newsmon-data")
        assert str(settings.db).startswith(data_mount) and str(settings.data_dir).startswith(data_mount)
        for host in volumes:
            if host.startswith("./"):
                assert (PROJECT / host).exists(), host


def test_init_creates_the_load_pool_the_dag_uses():
    init = " ".join(compose()["services"]["airflow-init"]["command"])
    dag_source = (PROJECT / "dags" / "related_articles.py").read_text(encoding="utf-8")
    pool = re.search(r'LOAD_POOL = "([^"]+)"', dag_source)[1]
    assert f"airflow pools set {pool} 1" in init
    assert "airflow db migrate" in init


def test_image_installs_the_lock_and_matches_pins():
    dockerfile = (PROJECT / "Dockerfile").read_text(encoding="utf-8")
    lock = (PROJECT / "requirements.lock").read_text(encoding="utf-8")
    airflow_pin = re.search(r"^apache-airflow==([\d.]+)$", lock, re.M)[1]
    assert f"FROM apache/airflow:{airflow_pin}-python3.11" in dockerfile
    assert "pip install --no-cache-dir -r /opt/newsmon/requirements.lock" in dockerfile
    assert "COPY --chown=airflow:root dags /opt/newsmon/dags" in dockerfile
    env = compose()["services"]["airflow-scheduler"]["environment"]
    assert f"AIRFLOW__CORE__DAGS_FOLDER={env['AIRFLOW__CORE__DAGS_FOLDER']}" in dockerfile
    assert f"NEWSMON_CONFIG={env['NEWSMON_CONFIG']}" in dockerfile
