"""Staff KPI actuals: parsing, the audited write path under concurrency, undo, history, CSV."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from pathlib import Path

import pytest

from strategy_data.actuals import (
    CsvImportError,
    EntryError,
    NothingToUndo,
    UndoConflict,
    export_csv,
    history,
    import_csv,
    parse_entry,
    parse_number,
    parse_year,
    record_actual,
    resolve_kpi,
    undo_last,
    write_transaction,
)
from strategy_data.clock import JST
from strategy_data.database import connect

NOW = dt.datetime(2024, 6, 1, 10, 0, tzinfo=JST)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("1,234", "人", 1234.0),
        ("56.5", "％", 56.5),
        ("56.5%", "％", 56.5),
        ("５６．５％", "％", 56.5),
        ("56.5％", "％", 56.5),
        ("12,345.6", "千人", 12345.6),
        ("330万件", "万件", 330.0),
        ("△12", "人", -12.0),
        ("-3", "人", -3.0),
        (" 7 ", "人", 7.0),
    ],
)
def test_parse_number(text, unit, expected):
    assert parse_number(text, unit) == expected


@pytest.mark.parametrize(
    ("text", "unit", "reason"),
    [
        ("abc", "人", "数値として読めません"),
        ("1,23", "人", "数値として読めません"),
        ("1e5", "人", "数値として読めません"),
        ("12.3.4", "人", "数値として読めません"),
        ("", "人", "数値を入力してください"),
        ("12人", "％", "このKPIの単位は「％」です"),
        ("56.5%", "人", "単位として使えません"),
        ("nan", "人", "数値として読めません"),
        ("inf", "人", "数値として読めません"),
    ],
)
def test_parse_number_rejects(text, unit, reason):
    with pytest.raises(ValueError, match=reason):
        parse_number(text, unit)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2023", 2023),
        ("2023年", 2023),
        ("2023年度", 2023),
        ("R5", 2023),
        ("令和5年度", 2023),
        ("令和元年", 2019),
        ("H30", 2018),
        ("平成27年", 2015),
        ("２０３０", 2030),
        (2020, 2020),
    ],
)
def test_parse_year(text, year):
    assert parse_year(text) == year


@pytest.mark.parametrize("text", ["2014", "2031", "R13", "昨年", "", "20234", True])
def test_parse_year_rejects(text):
    with pytest.raises(ValueError, match="年"):
        parse_year(text)


def test_resolve_kpi_by_id_name_short_name_alias(staff_db):
    assert resolve_kpi(staff_db, "waiting-children").id == "waiting-children"
    assert resolve_kpi(staff_db, "保育所など利用待機児童数").id == "waiting-children"
    assert resolve_kpi(staff_db, "待機児童数").id == "waiting-children"
    assert resolve_kpi(staff_db, "ＧＤＰ").id == "gross-city-product"
    assert resolve_kpi(staff_db, "観光消費").id == "tourism-spending"  # unique partial match


def test_parse_entry_checks_value_against_the_kpi(staff_db):
    entry = parse_entry(staff_db, kpi="大卒者の県内定着率", year="R4", value="45.1%", note="速報値")
    assert (entry.kpi_id, entry.year, entry.value, entry.note) == ("graduate-retention", 2022, 45.1, "速報値")
    # a net figure may be negative
    assert parse_entry(staff_db, kpi="net-migration", year=2020, value="△350").value == -350

    cases = [
        (dict(kpi="存在しないKPI", year=2022, value=1), "kpi", "見つかりません"),
        (dict(kpi="graduate-retention", year=2022, value="120"), "value", "0から100"),
        (dict(kpi="births", year=2022, value="-5"), "value", "マイナス"),
        (dict(kpi="births", year=2022, value="6,500,000"), "value", "桁が大きく違います"),
        (dict(kpi="births", year=2040, value="6500"), "year", "2030年まで"),
        (dict(kpi="births", year=2022, value="6500", note="あ" * 201), "note", "200文字"),
    ]
    for kwargs, column, reason in cases:
        with pytest.raises(EntryError) as info:
            parse_entry(staff_db, **kwargs)
        assert [(p.column, reason in p.reason) for p in info.value.problems] == [(column, True)], kwargs


def test_record_actual_upserts_and_audits_old_and_new(staff_db):
    e1 = parse_entry(staff_db, kpi="waiting-children", year=2021, value="3")
    c1 = record_actual(staff_db, e1, by="slack:U1", now=NOW)
    assert (c1.old_value, c1.new_value, c1.action) == (None, 3.0, "set")
    e2 = parse_entry(staff_db, kpi="waiting-children", year=2021, value="2", note="確定値")
    c2 = record_actual(staff_db, e2, by="slack:U2", now=NOW + dt.timedelta(minutes=1))
    assert (c2.old_value, c2.new_value, c2.new_note) == (3.0, 2.0, "確定値")
    rows = list(
        staff_db.query("SELECT value, note, entered_by FROM kpi_actuals WHERE kpi_id = 'waiting-children'")
    )
    assert rows == [{"value": 2.0, "note": "確定値", "entered_by": "slack:U2"}]
    assert staff_db["kpi_audit"].count == 2


def test_two_staff_setting_the_same_kpi_at_once(built_db_path: Path):
    """The first writer holds the write lock; the second waits, then records the first's value as
    its old value. Both are audited and the later one wins."""
    db_a, db_b = connect(built_db_path), connect(built_db_path)
    entered, b_writing = threading.Event(), threading.Event()
    # SQLite calls the trace callback as a statement starts, before it waits for the lock
    db_b.conn.set_trace_callback(lambda sql: b_writing.set() if sql.startswith("BEGIN IMMEDIATE") else None)
    errors: list[BaseException] = []
    results = {}

    def staff_a():
        try:
            with write_transaction(db_a):
                results["a"] = record_actual(
                    db_a, parse_entry(db_a, kpi="births", year=2022, value="6,100"), by="slack:UA", now=NOW
                )
                entered.set()
                # hold the lock until B's write has begun (BEGIN IMMEDIATE, which then waits for it)
                assert b_writing.wait(60), "B never tried to write"
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def staff_b():
        try:
            assert entered.wait(60), "A never took the lock"
            results["b"] = record_actual(
                db_b, parse_entry(db_b, kpi="births", year=2022, value="6,200"), by="slack:UB", now=NOW
            )
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=staff_a), threading.Thread(target=staff_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert (results["a"].old_value, results["a"].new_value) == (None, 6100.0)
    assert (results["b"].old_value, results["b"].new_value) == (6100.0, 6200.0)
    audit = list(db_a.query("SELECT actor, old_value, new_value FROM kpi_audit ORDER BY id"))
    assert audit == [
        {"actor": "slack:UA", "old_value": None, "new_value": 6100.0},
        {"actor": "slack:UB", "old_value": 6100.0, "new_value": 6200.0},
    ]
    assert db_a.execute("SELECT value FROM kpi_actuals WHERE kpi_id = 'births'").fetchall() == [(6200.0,)]
    db_a.close()
    db_b.close()


def test_many_concurrent_writes_lose_no_audit_row(built_db_path: Path):
    n = 15
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(actor: str, base: int):
        db = connect(built_db_path)
        try:
            barrier.wait(60)
            for i in range(n):
                entry = parse_entry(db, kpi="births", year=2023, value=str(base + i))
                record_actual(db, entry, by=actor, now=NOW)
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            db.close()

    threads = [
        threading.Thread(target=writer, args=("slack:UA", 6000)),
        threading.Thread(target=writer, args=("slack:UB", 7000)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    db = connect(built_db_path)
    audit = list(db.query("SELECT old_value, new_value FROM kpi_audit ORDER BY id"))
    assert len(audit) == 2 * n
    # an unbroken chain: every change replaced exactly the value the previous one wrote
    assert audit[0]["old_value"] is None
    for before, after in itertools.pairwise(audit):
        assert after["old_value"] == before["new_value"]
    final = db.execute("SELECT value FROM kpi_actuals WHERE kpi_id = 'births' AND year = 2023").fetchone()[0]
    assert final == audit[-1]["new_value"]
    db.close()


def test_undo_reverts_the_callers_last_change(staff_db):
    record_actual(
        staff_db, parse_entry(staff_db, kpi="births", year=2021, value="6500"), by="slack:U1", now=NOW
    )
    record_actual(
        staff_db, parse_entry(staff_db, kpi="births", year=2021, value="6600"), by="slack:U1", now=NOW
    )
    [undo] = undo_last(staff_db, by="slack:U1", now=NOW)
    assert (undo.action, undo.old_value, undo.new_value) == ("undo", 6600.0, 6500.0)
    assert staff_db.execute("SELECT value, entered_by FROM kpi_actuals").fetchall() == [(6500.0, "slack:U1")]
    undo_last(staff_db, by="slack:U1", now=NOW)
    assert staff_db["kpi_actuals"].count == 0
    with pytest.raises(NothingToUndo):
        undo_last(staff_db, by="slack:U1", now=NOW)
    actions = [r["action"] for r in staff_db.query("SELECT action FROM kpi_audit ORDER BY id")]
    assert actions == ["set", "set", "undo", "undo"]


def test_undo_refuses_to_discard_someone_elses_later_value(staff_db):
    record_actual(
        staff_db, parse_entry(staff_db, kpi="births", year=2021, value="6500"), by="slack:U1", now=NOW
    )
    record_actual(
        staff_db, parse_entry(staff_db, kpi="births", year=2021, value="6700"), by="slack:U2", now=NOW
    )
    with pytest.raises(UndoConflict) as info:
        undo_last(staff_db, by="slack:U1", now=NOW)
    assert info.value.later.actor == "slack:U2"
    assert staff_db.execute("SELECT value FROM kpi_actuals").fetchall() == [(6700.0,)]
    assert staff_db["kpi_audit"].count == 2  # nothing written


def test_history_has_first_term_cells_and_staff_entries(staff_db):
    record_actual(
        staff_db, parse_entry(staff_db, kpi="待機児童数", year=2022, value="0"), by="slack:U1", now=NOW
    )
    h = history(staff_db, "waiting-children")
    assert h.kpi.unit == "人"
    assert {v.series for v in h.first_term} >= {"target", "actual"}
    assert [(s.year, s.value) for s in h.staff] == [(2022, 0.0)]
    assert h.latest() == (2022, 0.0, "staff")
    assert h.audit[0].new_value == 0.0


def _write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_import_all_rows(staff_db, tmp_path):
    path = _write_csv(
        tmp_path / "in.csv",
        'kpi_id,year,value,note\nbirths,2021,"6,512",確定値\n待機児童数,R4,0,\ngraduate-retention,2022,45.1%,\n',
    )
    result = import_csv(staff_db, path, by="cli:tester", now=NOW)
    assert (result.rows, result.written, result.unchanged) == (3, 3, 0)
    assert staff_db["kpi_actuals"].count == 3
    assert {r["action"] for r in staff_db.query("SELECT action FROM kpi_audit")} == {"import"}
    # the same file again changes nothing
    again = import_csv(staff_db, path, by="cli:tester", now=NOW)
    assert (again.written, again.unchanged) == (0, 3)
    # undo reverts the whole import
    undone = undo_last(staff_db, by="cli:tester", now=NOW)
    assert len(undone) == 3
    assert staff_db["kpi_actuals"].count == 0


def test_import_with_one_bad_row_writes_nothing(staff_db, tmp_path):
    record_actual(
        staff_db, parse_entry(staff_db, kpi="births", year=2020, value="6600"), by="slack:U1", now=NOW
    )
    before = (staff_db["kpi_actuals"].count, staff_db["kpi_audit"].count)
    path = _write_csv(
        tmp_path / "in.csv",
        "kpi_id,year,value,note\n"
        "births,2021,6512,\n"
        "births,2020,6000,\n"
        "graduate-retention,2022,145,\n"  # line 4: a share over 100 %
        "waiting-children,2022,0,\n",
    )
    with pytest.raises(CsvImportError) as info:
        import_csv(staff_db, path, by="cli:tester", now=NOW)
    assert [(p.line, p.column) for p in info.value.problems] == [(4, "value")]
    assert "0から100" in str(info.value)
    assert (staff_db["kpi_actuals"].count, staff_db["kpi_audit"].count) == before
    assert staff_db.execute("SELECT value FROM kpi_actuals").fetchall() == [(6600.0,)]


def test_import_reports_every_bad_row(staff_db, tmp_path):
    path = _write_csv(
        tmp_path / "in.csv",
        "kpi_id,year,value\nnope,2021,1\nbirths,2041,1\nbirths,2021,abc\nbirths,2022,6000\nbirths,2022,6100\n",
    )
    with pytest.raises(CsvImportError) as info:
        import_csv(staff_db, path, by="cli:tester")
    assert [(p.line, p.column) for p in info.value.problems] == [
        (2, "kpi"),
        (3, "year"),
        (4, "value"),
        (6, "year"),
    ]
    assert staff_db["kpi_actuals"].count == 0


def test_import_header_and_encoding(staff_db, tmp_path):
    with pytest.raises(CsvImportError, match="value"):
        import_csv(staff_db, _write_csv(tmp_path / "a.csv", "kpi_id,year\nbirths,2021\n"), by="cli:t")
    # Excel's Shift_JIS with a KPI name
    sjis = _write_csv(tmp_path / "b.csv", "kpi_id,year,value,note\n出生数,2021,6512,確定\n", "cp932")
    assert import_csv(staff_db, sjis, by="cli:t").written == 1


def test_export_round_trips(staff_db, tmp_path):
    record_actual(
        staff_db,
        parse_entry(staff_db, kpi="births", year=2021, value="6512", note="確定, 値"),
        by="slack:U1",
        now=NOW,
    )
    record_actual(
        staff_db, parse_entry(staff_db, kpi="graduate-retention", year=2022, value="45.1"), by="slack:U1"
    )
    text = export_csv(staff_db)
    lines = text.splitlines()
    assert lines[0] == "kpi_id,kpi_name,unit,year,value,note,entered_by,entered_at"
    assert lines[1].startswith('births,出生数,人,2021,6512,"確定, 値",slack:U1,2024-06-01T10:00:00')
    result = import_csv(staff_db, _write_csv(tmp_path / "e.csv", text), by="cli:t")
    assert (result.written, result.unchanged) == (0, 2)
