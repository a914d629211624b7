"""docker-compose.yml and the Dockerfile agree with the code (there is no Docker engine to run them here)."""

import re
from pathlib import Path

import yaml

from core.config import load_settings

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
    assert services["airflow-apiserver"]["command"][-1].endswith("&& exec airflow api-server")


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
    # every package the project installs is in the image (pyproject's packages.find, sample_site aside)
    import tomllib

    packages = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    for pattern in packages["tool"]["setuptools"]["packages"]["find"]["include"]:
        name = pattern.rstrip("*")
        assert f"COPY --chown=airflow:root {name} /opt/newsmon/{name}" in dockerfile, name
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
    for key in ("AIRFLOW__CORE__EXECUTOR", "AIRFLOW__CORE__AUTH_MANAGER", "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"):
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
        command = services[service]["command"]
        command = command[-1] if isinstance(command, list) else command  # bash -c "...; exec airflow X"
        assert command == " ".join(args) or command.endswith(f"&& exec airflow {' '.join(args)}"), name
    init = " ".join(services["airflow-init"]["command"])
    assert f"airflow pools set {LOAD_POOL} 1" in init


def test_settings_with_a_default_are_documented_in_env_example():
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


# Which secrets each service may receive, and why; a secret given to any other service fails the test.
AIRFLOW_SECRETS = {"POSTGRES_PASSWORD", "AIRFLOW_JWT_SECRET", "AIRFLOW_FERNET_KEY"}  # metadata DB, tokens, crypto
MAY_HAVE = {
    "postgres": {"POSTGRES_PASSWORD"},
    "redis": set(),
    "airflow-apiserver": AIRFLOW_SECRETS | {"AIRFLOW_ADMIN_PASSWORD"},  # it alone checks the login
    "airflow-scheduler": AIRFLOW_SECRETS,
    "airflow-dag-processor": AIRFLOW_SECRETS,
    "airflow-triggerer": AIRFLOW_SECRETS,
    "airflow-worker": AIRFLOW_SECRETS,
    "warehouse-worker": AIRFLOW_SECRETS,
    "airflow-init": AIRFLOW_SECRETS | {"AIRFLOW_ADMIN_PASSWORD", "DASHBOARD_PASSWORD"},  # it checks them all
    "dashboard": set(),
    "dashboard-proxy": {"DASHBOARD_PASSWORD"},
}


def secrets_used(service: dict) -> set[str]:
    from newsmon.deploy import SECRETS

    text = yaml.safe_dump({k: service.get(k) for k in ("environment", "command", "entrypoint")})
    return {name for name in SECRETS if "${" + name in text}


def test_every_secret_is_required_and_has_no_default():
    from newsmon.deploy import SECRETS

    text = (PROJECT / "docker-compose.yml").read_text(encoding="utf-8")
    for name in SECRETS:
        assert not re.search(r"\$\{" + name + r":?-", text), f"{name} has a default in docker-compose.yml"
        uses = re.findall(r"\$\{" + name + r"([^}]*)\}", text)
        assert uses and all(u.startswith(":?") for u in uses), f"{name} must be required (${{{name}:?...}})"
    example = (PROJECT / ".env.example").read_text(encoding="utf-8")
    for name in SECRETS:
        assert re.search(rf"^{name}=$", example, re.M), f".env.example must not hold a value for {name}"
    ignored = (PROJECT / ".gitignore").read_text(encoding="utf-8").split()
    assert ".env" in ignored and ".env.objectstore" in ignored


def test_each_service_gets_only_the_secrets_it_uses():
    services = compose()["services"]
    assert set(services) == set(MAY_HAVE), "a new service: say which secrets it may have"
    for name, service in services.items():
        extra = secrets_used(service) - MAY_HAVE[name]
        assert not extra, f"{name} receives {sorted(extra)} but does not use them"
        files = [f["path"] if isinstance(f, dict) else f for f in service.get("env_file", [])]
        assert set(files) <= {".env.objectstore"}, f"{name} reads {files}: every variable there reaches it"
        assert not files or name in {"airflow-worker", "warehouse-worker"}, name
    assert secrets_used(services["dashboard"]) == set()
    assert "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" not in services["dashboard"].get("environment", {})


def test_ports_are_published_on_127_0_0_1_unless_newsmon_bind_says_otherwise():
    published = {name: svc["ports"] for name, svc in compose()["services"].items() if svc.get("ports")}
    assert set(published) == {"airflow-apiserver", "dashboard-proxy"}  # the dashboard only behind its login
    for name, ports in published.items():
        for port in ports:
            assert str(port).startswith(("${NEWSMON_BIND:-127.0.0.1}:", "127.0.0.1:")), f"{name}: {port}"


def test_no_service_runs_as_root():
    for name, service in compose()["services"].items():
        user = str(service.get("user", ""))
        uid = user.split(":")[0]
        assert user and uid not in ("0", "root") and "-0}" not in uid, f"{name} runs as {user or 'the image default'}"


def test_the_stack_refuses_a_missing_or_default_secret_before_anything_starts():
    services = compose()["services"]
    init = services["airflow-init"]["command"][-1]
    assert init.startswith("python -m newsmon.deploy check && airflow db migrate")
    for name, service in services.items():
        if (name.startswith("airflow-") and name != "airflow-init") or name in ("warehouse-worker", "dashboard"):
            assert service["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully", name
    assert "basic_auth" in (PROJECT / "config" / "Caddyfile").read_text(encoding="utf-8")
    assert services["dashboard-proxy"]["depends_on"] == ["dashboard"]


def test_services_that_mount_the_code_mount_all_of_it_they_run():
    """A service with the project's folders mounted (edits without a rebuild) mounts the ground package
    too, and the dashboard its own code: a folder left out would run the image's stale copy, or none."""
    services = compose()["services"]
    for name, service in services.items():
        volumes = mounts(service)
        if "./newsmon" in volumes:
            assert {"./core", "./extract", "./transform", "./warehouse"} <= set(volumes), name
    assert "./dashboard" in mounts(services["dashboard"])
