"""docker-compose.yml and the Dockerfile agree with the code (there is no Docker engine to run them here)."""

import re
from pathlib import Path

import yaml

from newsmon.config import load_settings

PROJECT = Path(__file__).resolve().parents[1]
AIRFLOW_SERVICES = {"airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                    "airflow-triggerer", "airflow-worker", "warehouse-worker"}


def compose():
    return yaml.safe_load((PROJECT / "docker-compose.yml").read_text(encoding="utf-8"))


def mounts(service):
    return dict(v.split(":")[:2] for v in service.get("volumes", []))


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
        assert str(settings.data_dir).startswith(data_mount)  # every worker reaches data_dir
        warehouse_mount = [c for h, c in volumes.items() if h == "newsmon-warehouse"]
        assert bool(warehouse_mount) == (name == "warehouse-worker"), name  # the DuckDB file: one worker
        assert not warehouse_mount or str(settings.db).startswith(warehouse_mount[0])
        for host in volumes:
            if host.startswith("./"):
                assert (PROJECT / host).exists(), host


def test_init_creates_the_load_pool_the_dag_uses():
    init = " ".join(compose()["services"]["airflow-init"]["command"])
    dag_source = (PROJECT / "newsmon" / "assets.py").read_text(encoding="utf-8")
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


def test_compose_and_the_process_based_e2e_stack_agree(tmp_path):
    from tests.e2e.stack import LOAD_POOL, SERVICES, celery_env

    services = compose()["services"]
    e2e = celery_env(tmp_path, "db", 3, 8080, tmp_path / "newsmon.toml", "secret")
    common = services["airflow-scheduler"]["environment"]
    compose_only = {"AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK", "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"}
    assert set(common) - compose_only <= set(e2e), "the e2e stack misses settings the compose services have"
    for key in ("AIRFLOW__CORE__EXECUTOR", "AIRFLOW__CORE__AUTH_MANAGER"):
        assert common[key] == e2e[key], key
    for key in ("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CELERY__RESULT_BACKEND",
                "AIRFLOW__CELERY__BROKER_URL", "AIRFLOW__CORE__EXECUTION_API_SERVER_URL"):
        assert common[key].split("://")[0] == e2e[key].split("://")[0], key
    for env in (e2e, common):
        assert env["AIRFLOW__CORE__DAGS_FOLDER"].endswith("/dags")
    assert "NEWSMON_CONFIG" in e2e
    for name, args in SERVICES.items():
        service = {"worker": "airflow-worker", "warehouse-worker": "warehouse-worker",
                   "api-server": "airflow-apiserver"}.get(name, f"airflow-{name}")
        assert services[service]["command"] == " ".join(args), name
    init = " ".join(services["airflow-init"]["command"])
    assert f"airflow pools set {LOAD_POOL} 1" in init


def test_secrets_come_from_env_with_documented_defaults():
    text = (PROJECT / "docker-compose.yml").read_text(encoding="utf-8")
    example = (PROJECT / ".env.example").read_text(encoding="utf-8")
    for var in re.findall(r"\$\{(\w+):-", text):
        assert re.search(rf"^{var}=", example, re.M), f"{var} is not documented in .env.example"
    assert "dashboard" in compose()["services"]


def test_the_warehouse_worker_alone_consumes_the_warehouse_queue_and_holds_the_duckdb_file():
    services = compose()["services"]
    settings = load_settings(PROJECT / "config" / "compose.toml")
    assert services["warehouse-worker"]["command"] == \
        f"celery worker --queues {settings.warehouse_queue} --concurrency 1"
    assert "--queues" not in services["airflow-worker"]["command"]  # the default queue: fetch, parse, relate
    holders = {name for name, svc in services.items() if "newsmon-warehouse" in mounts(svc)}
    assert holders == {"warehouse-worker", "dashboard"}  # the dashboard reads the snapshot beside the file
    assert "newsmon-data" not in mounts(services["dashboard"])
    assert str(settings.db).startswith(mounts(services["dashboard"])["newsmon-warehouse"])
