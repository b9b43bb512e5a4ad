"""kill -9 of ``strategy-bot serve`` mid-burst loses nothing and answers nothing twice, and leaves no
process behind (the smaller pytest version of ``benchmarks/crash_redelivery.py``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "crash_redelivery.py"


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("crash_redelivery", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_kill_9_mid_burst_then_redelivery_answers_every_event_exactly_once(tmp_path: Path) -> None:
    result = _bench().run(events=60, kill_at=(30,), concurrency=4, workdir=tmp_path)
    assert result.left_after_kill == []  # no child process outlives the server
    assert result.never_answered == 0
    assert result.answered_twice == 0
    # a second attempt only for a reply sent in the instant before the kill (at most one per worker)
    assert result.second_attempts <= 8
    assert sum(result.outcomes.values()) >= 60 and "pending" not in result.outcomes
