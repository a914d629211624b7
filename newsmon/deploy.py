"""Deployment secrets for docker-compose.yml: `make secrets` writes a fresh `.env` (mode 0600), the stack's
init service refuses to start on a missing or known-default secret, and the api-server writes its login
file from the environment.

    python -m newsmon.deploy secrets [--force]   write .env with generated secrets
    python -m newsmon.deploy check               exit 1 naming each missing, weak or default secret
    python -m newsmon.deploy passwords FILE      write the simple auth manager's passwords file
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

ENV_FILE = Path(".env")
# Values that must never guard a deployment: earlier defaults of this file and the usual suspects.
KNOWN_DEFAULTS = {"", "change-me", "changeme", "airflow", "admin", "postgres", "password", "secret", "newsmon"}
HOW = "run `make secrets` (or `python -m newsmon.deploy secrets`) to write a .env with fresh ones"


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode("ascii")


def _valid_fernet(value: str) -> bool:
    from cryptography.fernet import Fernet

    try:
        Fernet(value.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False
    return True


# name -> (make a value, the shortest acceptable length, an extra test, what it guards)
SECRETS: dict[str, tuple[Callable[[], str], int, Callable[[str], bool] | None, str]] = {
    "POSTGRES_PASSWORD": (lambda: secrets.token_urlsafe(24), 16, None, "the metadata database"),
    "AIRFLOW_JWT_SECRET": (lambda: secrets.token_hex(32), 32, None, "the signing key of every Airflow API token"),
    "AIRFLOW_FERNET_KEY": (_fernet_key, 44, _valid_fernet, "Airflow's encryption of connections and variables"),
    "AIRFLOW_ADMIN_PASSWORD": (lambda: secrets.token_urlsafe(18), 12, None, "the Airflow UI and API login"),
    "DASHBOARD_PASSWORD": (lambda: secrets.token_urlsafe(18), 12, None, "the dashboard's login (the proxy)"),
}


def problems(env: Mapping[str, str], names: list[str] | None = None) -> list[str]:
    """What is wrong with the secrets `names` (default: all) in `env`, one line each; empty when fine."""
    found = []
    for name in names or list(SECRETS):
        _make, shortest, test, guards = SECRETS[name]
        value = env.get(name, "")
        if not value:
            found.append(f"{name} is missing ({guards})")
        elif value.lower() in KNOWN_DEFAULTS:
            found.append(f"{name} is a known default ({guards}): never deploy with it")
        elif len(value) < shortest:
            found.append(f"{name} is shorter than {shortest} characters ({guards})")
        elif test is not None and not test(value):
            found.append(f"{name} is not a valid key ({guards})")
    return found


def env_text(uid: int) -> str:
    """A .env with a fresh value for every secret."""
    lines = ["# Written by `make secrets`: secrets for docker-compose.yml. Keep it private (mode 0600); never",
             "# commit it. Rotate one by replacing its value and restarting the stack.",
             *(f"{name}={make()}" for name, (make, *_rest) in SECRETS.items()),
             "DASHBOARD_USER=newsmon",
             "# 127.0.0.1 publishes the UI, the API and the dashboard on this machine only; 0.0.0.0 on every",
             "# interface (put TLS in front first: see docs/howto/cluster.md)",
             "NEWSMON_BIND=127.0.0.1",
             f"AIRFLOW_UID={uid}"]
    return "\n".join(lines) + "\n"


def write_env(path: Path = ENV_FILE, force: bool = False) -> Path:
    """Write a fresh .env, readable by its owner only; an existing one is kept unless `force`."""
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists: keep it, or write fresh secrets with --force (FORCE=1 make secrets)")
    text = env_text(os.getuid())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


def write_passwords(path: Path, env: Mapping[str, str]) -> None:
    """The simple auth manager's passwords file ({user: password}) from $AIRFLOW_ADMIN_USER (admin) and
    $AIRFLOW_ADMIN_PASSWORD, readable by the service's user only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({env.get("AIRFLOW_ADMIN_USER", "admin"): env["AIRFLOW_ADMIN_PASSWORD"]}, fh)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "secrets":
        try:
            print(f"wrote {write_env(force='--force' in argv)} (mode 0600) with fresh secrets")
        except FileExistsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    if command == "check":
        names = [n for n in argv[1:] if n in SECRETS] or None
        found = problems(os.environ, names)
        for line in found:
            print(f"refusing to start: {line}", file=sys.stderr)
        if found:
            print(f"refusing to start: {HOW}", file=sys.stderr)
        return 1 if found else 0
    if command == "passwords" and len(argv) == 2:
        found = problems(os.environ, ["AIRFLOW_ADMIN_PASSWORD"])
        if found:
            print(f"refusing to start: {found[0]}; {HOW}", file=sys.stderr)
            return 1
        write_passwords(Path(argv[1]), os.environ)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
