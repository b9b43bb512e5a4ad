"""Settings from the environment and ``.env`` (pydantic-settings): every variable keeps its name and
default, the environment wins over ``.env``, and a malformed value stops the command line with one
readable line naming the variable (exit code 2, no traceback, never the value)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.config import ENV_VARIABLES, ConfigError, Settings

ROOT = Path(__file__).resolve().parents[1]
NOT_THE_BOTS = {"POSTGRES_PASSWORD"}  # in .env.example for compose.yaml


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No bot variable in the environment, the default .env file, and a fresh current directory."""
    for name in [*ENV_VARIABLES, "STRATEGY_BOT_ENV_FILE"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults_without_environment_or_env_file(clean_env: Path) -> None:
    s = Settings.from_env()
    assert s == Settings()
    assert s.db_path == Path("var/strategy.db") and s.max_body_bytes == 256 * 1024
    assert s.line_group_triggers == ["熊本市bot", "戦略bot", "@戦略bot"] and s.scheduler_enabled


def test_env_file_is_read_and_the_environment_wins(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_env / ".env").write_text(
        "MAX_BODY_BYTES=1000\nLINE_GROUP_TRIGGERS=ボット, bot\nUSER_HASH_KEY=\n"
        'SCHEDULER_ENABLED=off\nSLACK_API_URL="http://127.0.0.1:9/api/"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MAX_BODY_BYTES", "2000")
    s = Settings.from_env()
    assert s.max_body_bytes == 2000  # the environment wins
    assert s.line_group_triggers == ["ボット", "bot"]
    assert s.user_hash_key is None  # empty counts as unset
    assert s.scheduler_enabled is False and s.slack_api_url == "http://127.0.0.1:9/api/"
    monkeypatch.setenv("STRATEGY_BOT_ENV_FILE", "")
    assert Settings.from_env().scheduler_enabled is True  # no file at all


def test_from_a_mapping_reads_nothing_else(clean_env: Path) -> None:
    (clean_env / ".env").write_text("MAX_BODY_BYTES=1000\n", encoding="utf-8")
    s = Settings.from_env({"SCHEDULER_ENABLED": "no", "SLACK_STAFF_USER_IDS": "U1;U2"})
    assert (
        s.max_body_bytes == 256 * 1024 and not s.scheduler_enabled and s.slack_staff_user_ids == ["U1", "U2"]
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MAX_BODY_BYTES", "lots"),
        ("MAX_BODY_BYTES", "-5"),
        ("SCHEDULER_ENABLED", "perhaps-secret"),
        ("LINE_WORKER_THREADS", "many"),
        ("LINE_API_BASE_URL", "api.line.me"),
    ],
)
def test_malformed_value_names_the_variable_and_never_the_value(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({name: value})
    assert caught.value.variable == name
    assert value not in str(caught.value)


def test_cli_stops_with_one_line_and_exit_code_2(clean_env: Path) -> None:
    (clean_env / ".env").write_text("SCHEDULER_ENABLED=perhaps-secret\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARIABLES and k != "STRATEGY_BOT_ENV_FILE"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--port", "0"],
        cwd=clean_env,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "SCHEDULER_ENABLED" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr and "perhaps-secret" not in proc.stderr + proc.stdout


def test_env_file_sets_the_database_of_every_command(clean_env: Path, built_db_path: Path) -> None:
    (clean_env / ".env").write_text(f"STRATEGY_BOT_DB={built_db_path}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["info"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert re.search(r"kpis\s+\d+", result.output)
    os.environ.pop("STRATEGY_BOT_DB", None)  # CliRunner restores only what it set itself


def test_every_variable_is_documented_in_env_example() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.M)) - NOT_THE_BOTS
    assert documented == set(ENV_VARIABLES)
