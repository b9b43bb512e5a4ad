"""A KPI confirmation checks the KPI against what its preview showed (hardening 12.4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from handlers import staff_kpi
from strategy_data.actuals import actual_basis, kpi_refs, parse_entry, record_actual
from strategy_data.clock import JST
from strategy_data.database import connect

NOW = dt.datetime(2026, 5, 1, 10, 0, tzinfo=JST)


def _preview(db, text: str) -> dict:  # type: ignore[no-untyped-def]
    cmd = staff_kpi.parse_kpi_command(f"set {text}")
    reply = staff_kpi.handle_kpi_command(db, cmd, by="slack:U1", now=NOW)
    return reply.data["confirm"]


def test_a_confirm_of_an_unchanged_kpi_is_written(built_db_path: Path) -> None:
    db = connect(built_db_path)
    confirm = _preview(db, "出生数 2022 6,100")
    assert confirm["basis"]["actual"] is None and confirm["basis"]["kpi"]["unit"]
    reply = staff_kpi.confirm_set(db, confirm["entry"], by="slack:U1", now=NOW, basis=confirm["basis"])
    assert "記録しました" in reply.text and "※" not in reply.text


def test_a_changed_kpi_definition_refuses_the_confirm_politely(built_db_path: Path) -> None:
    db = connect(built_db_path)
    confirm = _preview(db, "出生数 2023 6,000")
    basis = {**confirm["basis"], "kpi": {**confirm["basis"]["kpi"], "unit": "千人"}}
    reply = staff_kpi.confirm_set(db, confirm["entry"], by="slack:U1", now=NOW, basis=basis)
    assert "記録していません" in reply.text and "定義" in reply.text and "もう一度 /kpi set" in reply.text
    assert actual_basis(db, "births", 2023) is None


def test_a_value_entered_after_the_preview_is_overwritten_and_named(built_db_path: Path) -> None:
    db = connect(built_db_path)
    confirm = _preview(db, "出生数 2021 6,400")
    other = parse_entry(kpi_refs(db), kpi="births", year=2021, value="6,300", note=None)
    record_actual(db, other, by="slack:U2", now=NOW)
    reply = staff_kpi.confirm_set(db, confirm["entry"], by="slack:U1", now=NOW, basis=confirm["basis"])
    assert "記録しました" in reply.text and "確認を表示したあとで" in reply.text and "6,300" in reply.text
    assert actual_basis(db, "births", 2021)["value"] == 6400.0
