"""matplotlib, set up once and lazily: the Agg backend and the IPAex Gothic font that the
``matplotlib-fontja`` package ships (IPA Font License v1.0), so nothing is downloaded and no system
font is needed."""

from __future__ import annotations

import threading
from typing import Any

FONT_FAMILY = "IPAexGothic"

_lock = threading.Lock()
_ready = False


def setup() -> Any:
    """Import and configure matplotlib (once per process); return the ``matplotlib`` module."""
    global _ready
    with _lock:
        import matplotlib

        if not _ready:
            matplotlib.use("Agg", force=True)
            from matplotlib import font_manager
            from matplotlib_fontja import get_font_ttf_path  # registers the font as a side effect

            font_manager.fontManager.addfont(get_font_ttf_path())
            matplotlib.rcParams.update(
                {
                    "font.family": FONT_FAMILY,
                    "axes.unicode_minus": False,  # the font has no U+2212; draw ASCII minus
                    "svg.fonttype": "none",
                }
            )
            _ready = True
        return matplotlib


def new_figure(width_px: int, height_px: int, dpi: int = 100) -> Any:
    """A figure that is not registered with pyplot (safe to use from worker threads)."""
    setup()
    from matplotlib.figure import Figure

    return Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="white")


def png_bytes(fig: Any) -> bytes:
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, facecolor="white", metadata={"Software": None})
    return buf.getvalue()
