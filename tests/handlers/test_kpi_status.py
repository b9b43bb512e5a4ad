"""KPI status: latest actual from first-term history and staff entries, direction, status words."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers.kpi_status import UnknownKpi, all_kpi_facts, kpi_facts, status_of
from strategy_data.database import connect

TODAY = dt.date(2024, 6, 1)


def add_actual(db, kpi_id: str, year: int, value: float) -> None:
    """A staff entry, written as the staff tools write it (one row per KPI and year)."""
    db.execute(
        "INSERT OR REPLACE INTO kpi_actuals (kpi_id, year, value, note, entered_by, entered_at)"
        " VALUES (?, ?, ?, NULL, 'test-staff', '2024-05-01T09:00:00+09:00')",
        [kpi_id, year, value],
    )
    db.conn.commit()


@pytest.mark.parametrize(
    ("baseline", "target", "direction", "latest", "year", "status"),
    [
        # going up: 観光消費額 735 (2018) -> 852 (2023)
        (735, 852, "up", 900, 2021, "達成"),
        (735, 852, "up", 852, 2023, "達成"),
        (735, 852, "up", 806, 2021, "順調"),  # the line at 2021 is 805.2
        (735, 852, "up", 800, 2021, "遅れ"),
        (735, 852, "up", 700, 2019, "遅れ"),
        # going down: 待機児童 6 (2019) -> 0 (2023)
        (6, 0, "down", 0, 2021, "達成"),
        (6, 0, "down", 3, 2021, "順調"),  # the line at 2021 is 3
        (6, 0, "down", 4, 2021, "遅れ"),
        (6, 0, "down", 8, 2020, "遅れ"),
        # 年転入超過数 494 -> 400 is met by going down
        (494, 400, "down", 380, 2022, "達成"),
        # at-least (出生数 7,000以上): more is fine
        (6766, 7000, "up", 7100, 2022, "達成"),
        # past the target year the line is the target itself
        (735, 852, "up", 851, 2025, "遅れ"),
    ],
)
def test_status_rules(baseline, target, direction, latest, year, status) -> None:
    base_year = 2019 if baseline == 6 or baseline == 494 else 2018
    got, progress = status_of(
        baseline=baseline,
        baseline_year=base_year,
        target=target,
        target_year=2023,
        direction=direction,
        latest=latest,
        latest_year=year,
    )
    assert got == status
    assert progress == pytest.approx((latest - baseline) / (target - baseline))


def test_no_newer_figure_is_baseline_only() -> None:
    assert status_of(
        baseline=1,
        baseline_year=2018,
        target=2,
        target_year=2023,
        direction="up",
        latest=None,
        latest_year=None,
    ) == ("基準値のみ", None)


def test_real_kpis_have_only_baselines(built_db_path) -> None:
    db = connect(built_db_path)
    facts = all_kpi_facts(db, TODAY)
    assert len(facts) == 17
    assert [f.id for f in facts][:3] == ["gross-city-product", "net-migration", "job-openings-ratio"]
    assert {f.status for f in facts} == {"基準値のみ"}
    waiting = kpi_facts(db, "waiting-children", TODAY)
    assert (waiting.baseline_value, waiting.target_value, waiting.direction) == (6, 0, "down")
    births = kpi_facts(db, "births", TODAY)
    assert births.comparator == "at_least" and births.direction == "up"


def test_staff_entry_becomes_the_latest(built_db_path) -> None:
    db = connect(built_db_path)
    add_actual(db, "tourism-spending", 2021, 790)
    f = kpi_facts(db, "tourism-spending", TODAY)
    assert (f.latest_value, f.latest_year, f.latest_origin, f.status) == (790, 2021, "staff", "遅れ")
    add_actual(db, "tourism-spending", 2022, 840)
    f = kpi_facts(db, "tourism-spending", TODAY)
    assert (f.latest_value, f.latest_year, f.status) == (840, 2022, "順調")  # newest year wins
    assert f.progress == pytest.approx((840 - 735) / (852 - 735))


def test_staff_entry_for_the_baseline_year_or_before_is_not_newer(built_db_path) -> None:
    db = connect(built_db_path)
    add_actual(db, "tourism-spending", 2018, 999)
    assert kpi_facts(db, "tourism-spending", TODAY).status == "基準値のみ"


def test_first_term_actual_after_the_baseline_counts_and_staff_wins_the_same_year(built_db_path) -> None:
    db = connect(built_db_path)
    # a first-term actual newer than the 2nd-term baseline (H31 = 2019 for 出生数, baseline 2018)
    db.execute(
        "INSERT INTO history_values (indicator_id, series, [column], year, value, label, comparator, printed)"
        " VALUES ('h-births', 'actual', 'H31', 2019, 6500, 'H31', 'point', '6,500')"
    )
    db.conn.commit()
    f = kpi_facts(db, "births", TODAY)
    assert (f.latest_value, f.latest_year, f.latest_origin) == (6500, 2019, "first_term")
    add_actual(db, "births", 2019, 6600)
    f = kpi_facts(db, "births", TODAY)
    assert (f.latest_value, f.latest_origin) == (6600, "staff")


def test_unknown_kpi(built_db_path) -> None:
    with pytest.raises(UnknownKpi):
        kpi_facts(connect(built_db_path), "no-such-kpi", TODAY)
