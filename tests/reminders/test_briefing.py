"""The KPI briefing in a real reminder: statuses from the answer pipeline over staff-entered actuals."""

from __future__ import annotations

from pathlib import Path

from strategy_data.actuals import ActualEntry, record_actual
from strategy_data.database import connect

from .conftest import Clock, FakeLine, FakeSlack, close_scheduler, make_scheduler, make_settings
from .test_scheduler import T_1D, USERS, flex_alt, setup_db


def test_reminder_carries_the_kpi_briefing(built_db_path: Path, line: FakeLine, slack: FakeSlack) -> None:
    setup_db(built_db_path, users=USERS[:1])
    db = connect(built_db_path)
    record_actual(db, ActualEntry(kpi_id="gross-city-product", year=2021, value=2700), by="test")  # 達成
    record_actual(db, ActualEntry(kpi_id="business-locations", year=2022, value=158), by="test")  # 遅れ
    db.close()
    s = make_scheduler(make_settings(built_db_path, line, slack), Clock(T_1D))
    assert s.run_once().count("sent") == 2
    close_scheduler(s)
    [post] = slack.posts()
    assert "KPIの状況（全17件）: 達成 1件・順調 0件・遅れ 1件（実績未登録 15件）" in post["text"]
    assert "遅れている指標: 企業立地件数" in post["text"]
    kpi_block = next(
        b
        for b in post["blocks"]
        if b["type"] == "section" and "KPIの状況" in b.get("text", {}).get("text", "")
    )
    assert "達成 *1*" in kpi_block["text"]["text"] and "遅れ *1*" in kpi_block["text"]["text"]
    [push] = line.pushes_to(USERS[0])
    assert "遅れている指標: 企業立地件数" in flex_alt(push)
