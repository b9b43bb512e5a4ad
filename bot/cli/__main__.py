"""``python -m bot.cli``: the same commands as ``strategy-bot``."""

from bot.cli import main

main()
