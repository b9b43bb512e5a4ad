"""Every command of the CLI has help text and is named in the README, the front door."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from bot.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    """Every command, the lazily loaded ones too (``list_commands``/``get_command``, not ``commands``)."""
    out = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None, f"{prefix}{name} is listed but cannot be loaded"
        full = f"{prefix}{name}"
        out.append((full, cmd))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, full + " "))
    return out


@pytest.mark.parametrize(("name", "command"), _commands(main), ids=lambda v: v if isinstance(v, str) else "")
def test_command_is_documented(name: str, command: click.Command) -> None:
    assert (command.help or command.short_help or "").strip(), f"{name} has no help text"
    top = name.split()[0]
    assert f"strategy-bot {top}" in README, f"README does not mention `strategy-bot {top}`"


def test_front_door_commands() -> None:
    assert "make run" in README and "make test" in README
