"""``strategy-bot line rich-menu [--dry-run]``: LINE channel set-up from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bot.config import Settings
from bot.line import rich_menu


@click.group("line")
def line() -> None:
    """LINE channel tools (the rich menu)."""


@line.command("rich-menu")
@click.option("--dry-run", is_flag=True, help="Write the image and the JSON only; do not call LINE.")
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("var") / "rich-menu",
    show_default=True,
    help="Where to write richmenu.png and richmenu.json.",
)
def rich_menu_command(dry_run: bool, out_dir: Path) -> None:
    """Create the six-button rich menu (2500×1686), upload its image and make it the default."""
    request = rich_menu.build_request()
    image = rich_menu.draw_image()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "richmenu.png").write_bytes(image)
    (out_dir / "richmenu.json").write_text(
        json.dumps(request, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    click.echo(f"wrote {out_dir / 'richmenu.png'} and {out_dir / 'richmenu.json'}")
    if dry_run:
        return
    settings = Settings.from_env()
    if settings.line_channel_access_token is None:
        click.echo("LINE_CHANNEL_ACCESS_TOKEN is not set (use --dry-run to only write the files)", err=True)
        sys.exit(1)
    try:
        menu_id = rich_menu.install(
            access_token=settings.line_channel_access_token.get_secret_value(),
            base_url=settings.line_api_base_url,
            data_base_url=settings.line_api_data_base_url,
            image=image,
            request=request,
        )
    except Exception as exc:  # the SDK's ApiException carries the status; never the token
        status = getattr(exc, "status", None)
        click.echo(f"LINE refused the rich menu ({type(exc).__name__}, status {status})", err=True)
        sys.exit(1)
    click.echo(f"rich menu {menu_id} created, image uploaded, set as the default for all users")
