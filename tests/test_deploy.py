"""The deployment files agree with the code: compose.yaml (PostgreSQL, two bot replicas, workers),
the Dockerfile and the systemd unit. (No container engine here: the files are parsed and checked.)"""

from __future__ import annotations

import configparser
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_runs_postgresql_two_bot_replicas_and_workers_on_one_database() -> None:
    services = _compose()["services"]
    assert set(services) == {"db", "bot", "worker"}
    assert services["db"]["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    db_env = services["db"]["environment"]
    for name in ("bot", "worker"):
        svc = services[name]
        assert svc["build"] == "." and svc["env_file"] == ".env"
        assert svc["depends_on"]["db"]["condition"] == "service_healthy"
        url = svc["environment"]["DATABASE_URL"]
        m = re.fullmatch(r"postgresql://(\w+):\$\{POSTGRES_PASSWORD\}@db:5432/(\w+)", url)
        assert m and m.groups() == (db_env["POSTGRES_USER"], db_env["POSTGRES_DB"]), url
        assert svc["deploy"]["replicas"] == 2
    assert services["bot"]["command"][0] == "serve" and services["worker"]["command"] == ["worker"]
    assert services["bot"]["environment"]["LINE_WORKER_THREADS"] == "0"
    # every replica runs the reminder scheduler: meetings, subscribers and deliveries are shared
    assert "SCHEDULER_ENABLED" not in services["bot"]["environment"]
    assert services["bot"]["ports"] == ["8001-8002:8000"]
    assert "?" in db_env["POSTGRES_PASSWORD"]  # compose refuses to start without a password


def test_compose_commands_exist_in_the_cli() -> None:
    import click

    from bot.cli import main

    ctx = click.Context(main)
    for name in ("bot", "worker"):
        command = _compose()["services"][name]["command"][0]
        assert command in main.list_commands(ctx)
        assert main.get_command(ctx, command) is not None  # its module imports


def test_dockerfile_copies_every_package_and_runs_the_console_script() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    find = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = [p.rstrip("*") for p in find["packages"]["find"]["include"]]
    assert "store" in packages
    for package in packages:
        assert re.search(rf"^COPY {package} \./{package}$", text, re.M), package
    assert "-c constraints.txt" in text and "strategy-bot load-data" in text
    assert 'ENTRYPOINT ["strategy-bot"]' in text and re.search(r"^USER \w+", text, re.M)
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def test_systemd_unit_runs_serve_without_secrets_inline() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / "deploy" / "strategy-bot.service", encoding="utf-8")
    service = unit["Service"]
    assert service["ExecStart"].split()[1:3] == ["serve", "--host"]
    assert service["EnvironmentFile"].endswith(".env")
    assert not re.search(r"(SECRET|TOKEN)=", (ROOT / "deploy" / "strategy-bot.service").read_text())
    assert unit["Install"]["WantedBy"] == "multi-user.target"
