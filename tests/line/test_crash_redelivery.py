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


def test_two_replicas_and_two_workers_on_postgresql_answer_every_event_once(tmp_path: Path) -> None:
    """Redeliveries go to the other replica, replica 0 is killed mid-burst, workers share the inbox."""
    import pytest
    from postgres import postgres_server

    with postgres_server() as pg:
        if pg is None:
            pytest.skip("PostgreSQL is not installed (make test installs it)")
        url = pg.create_database()
        result = _bench().run(
            events=60, kill_at=(30,), concurrency=4, database_url=url, workdir=tmp_path, replicas=2, workers=2
        )
    assert result.left_after_kill == []
    assert result.never_answered == 0
    assert result.answered_twice == 0
    assert result.second_attempts <= 8
    assert "pending" not in result.outcomes
