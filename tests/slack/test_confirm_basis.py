"""A KPI confirmation writes only if the KPI is still as the preview showed it (hardening 12.4)."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from handlers import staff_kpi
from strategy_data.actuals import ActualChanged, actual_basis, kpi_refs, parse_entry, record_actual
from strategy_data.clock import JST
from strategy_data.database import connect

NOW = dt.datetime(2026, 5, 1, 10, 0, tzinfo=JST)


def _preview(db, text: str) -> dict:  # type: ignore[no-untyped-def]
    cmd = staff_kpi.parse_kpi_command(f"set {text}")
    reply = staff_kpi.handle_kpi_command(db, cmd, by="slack:U1", now=NOW)
    return reply.data["confirm"]


def test_a_confirm_after_someone_else_changed_the_value_is_refused_politely(built_db_path: Path) -> None:
    db = connect(built_db_path)
    confirm = _preview(db, "出生数 2021 6,400")
    assert confirm["basis"]["actual"] is None
    other = parse_entry(kpi_refs(db), kpi="births", year=2021, value="6,300", note=None)
    record_actual(db, other, by="slack:U2", now=NOW)
    reply = staff_kpi.confirm_set(db, confirm["entry"], by="slack:U1", now=NOW, basis=confirm["basis"])
    assert not reply.answered or reply.kind == "error"
    assert "記録していません" in reply.text and "6,300" in reply.text and "もう一度 /kpi set" in reply.text
    assert actual_basis(db, "births", 2021)["value"] == 6300.0  # unchanged by the refused confirm


def test_a_confirm_of_an_unchanged_kpi_is_written(built_db_path: Path) -> None:
    db = connect(built_db_path)
    confirm = _preview(db, "出生数 2022 6,100")
    reply = staff_kpi.confirm_set(db, confirm["entry"], by="slack:U1", now=NOW, basis=confirm["basis"])
    assert "記録しました" in reply.text


def test_a_changed_kpi_definition_refuses_the_confirm(built_db_path: Path) -> None:
    db = connect(built_db_path)
    confirm = _preview(db, "出生数 2023 6,000")
    basis = {**confirm["basis"], "unit": "千人"}
    reply = staff_kpi.confirm_set(db, confirm["entry"], by="slack:U1", now=NOW, basis=basis)
    assert "定義" in reply.text and "記録していません" in reply.text


def test_two_confirms_shown_for_the_same_value_write_once(built_db_path: Path) -> None:
    connect(built_db_path).close()
    first = connect(built_db_path)
    basis = actual_basis(first, "births", 2024)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def confirm(value: str, who: str) -> None:
        db = connect(built_db_path)
        entry = parse_entry(kpi_refs(db), kpi="births", year=2024, value=value, note=None)
        barrier.wait()
        try:
            record_actual(db, entry, by=who, now=NOW, expect=basis)
            results.append("written")
        except ActualChanged:
            results.append("refused")

    threads = [threading.Thread(target=confirm, args=(v, w)) for v, w in (("6,000", "a"), ("6,001", "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["refused", "written"]
