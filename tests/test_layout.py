"""The import rules of docs/architecture.md: the core never imports the bot, and nothing but the CLI
imports the web server (so there is no import cycle through it)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _files(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize("path", _files("handlers", "nlp", "strategy_data", "store"), ids=lambda p: p.name)
def test_core_never_imports_the_bot(path: Path) -> None:
    assert not [n for n in _imports(path) if _under(n, "bot")]


@pytest.mark.parametrize("path", _files("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_cli_imports_the_web_server(path: Path) -> None:
    if _under(".".join(path.relative_to(ROOT).with_suffix("").parts), "bot.web"):
        return
    if path.is_relative_to(ROOT / "bot" / "cli"):
        return
    assert not [n for n in _imports(path) if _under(n, "bot.web")]


def test_the_context_imports_no_adapter() -> None:
    bot_imports = [n for n in _imports(ROOT / "bot" / "context.py") if _under(n, "bot")]
    assert all(_under(n, "bot.config") for n in bot_imports), bot_imports
