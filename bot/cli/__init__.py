"""The ``strategy-bot`` command line (``bot.cli:main``; ``python -m bot.cli`` runs it too)."""

from bot.cli.commands import main

__all__ = ["main"]
