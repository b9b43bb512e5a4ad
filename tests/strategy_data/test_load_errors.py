"""Broken data files give clear errors, and the existing database is left exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bot.cli import main
from strategy_data.database import connect
from strategy_data.loader import DATA_DIR, DataError, load


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A database built from the real data, with one staff-entered actual in it."""
    path = tmp_path / "strategy.db"
    result = CliRunner().invoke(main, ["load-data", "--db", str(path), "-q"])
    assert result.exit_code == 0, result.output
    db = connect(path)
    db.execute(
        "INSERT INTO kpi_actuals (kpi_id, year, value, note, entered_by, entered_at)"
        " VALUES ('tourism-spending', 2020, 400, 'コロナ禍', 'U1', '2021-06-01T10:00:00+09:00')"
    )
    db.execute(
        "INSERT INTO kpi_audit (kpi_id, year, action, old_value, new_value, actor, at)"
        " VALUES ('tourism-spending', 2020, 'set', NULL, 400, 'U1', '2021-06-01T10:00:00+09:00')"
    )
    db.conn.commit()
    db.close()
    return path


def _edit(path: Path, fn) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _snapshot(path: Path) -> dict:
    db = connect(path)
    snap = {
        "kpis": [tuple(r.values()) for r in db.query("SELECT * FROM kpis ORDER BY id")],
        "glossary": db["glossary"].count,
        "actuals": [tuple(r.values()) for r in db.query("SELECT * FROM kpi_actuals")],
        "audit": db["kpi_audit"].count,
        "built_at": db.execute("SELECT value FROM build_info WHERE key = 'built_at'").fetchone()[0],
    }
    db.close()
    return snap


def _kpi(raw: dict, kpi_id: str) -> dict:
    return next(k for k in raw["kpis"] if k["id"] == kpi_id)


def _set_target(v):
    return lambda raw: _kpi(raw, "tourism-spending")["target"].__setitem__("value", v)


BROKEN = {
    "wrong type": (
        "kpis.yaml",
        _set_target("たくさん"),
        "kpis.yaml: kpi 'tourism-spending': target.value: not a number",
    ),
    "missing field": (
        "kpis.yaml",
        lambda raw: _kpi(raw, "births").pop("unit"),
        "kpis.yaml: kpi 'births': unit: missing",
    ),
    "duplicate id": (
        "glossary.yaml",
        lambda raw: raw["terms"][1].__setitem__("id", raw["terms"][0]["id"]),
        "duplicate id",
    ),
    "relisted link to a missing KPI": (
        "goals.yaml",
        lambda raw: raw["goals"][1]["measures"][0].__setitem__("relisted_kpis", ["no-such-kpi"]),
        "goals.yaml: measure 'g2-m1': relisted_kpis.0: 再掲 links to unknown KPI 'no-such-kpi'",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_data_is_reported_and_database_untouched(case, data_dir, built):
    file, mutate, expected = BROKEN[case]
    _edit(data_dir / file, mutate)
    before = _snapshot(built)
    result = CliRunner().invoke(main, ["load-data", "--db", str(built), "--data-dir", str(data_dir)])
    assert result.exit_code != 0
    assert expected in result.output
    assert _snapshot(built) == before


def test_all_problems_reported_at_once(data_dir):
    _edit(data_dir / "kpis.yaml", _set_target("x"))
    _edit(data_dir / "kpis.yaml", lambda raw: _kpi(raw, "births").pop("unit"))
    _edit(data_dir / "glossary.yaml", lambda raw: raw["terms"][0].__setitem__("footnote", "seven"))
    with pytest.raises(DataError) as exc:
        load(data_dir)
    messages = [str(p) for p in exc.value.problems]
    assert any("tourism-spending" in m and "target.value" in m for m in messages)
    assert any("'births'" in m and "unit" in m for m in messages)
    assert any(m.startswith("glossary.yaml") and "footnote" in m for m in messages)


def test_invalid_yaml_names_the_line(data_dir):
    (data_dir / "promotion.yaml").write_text("sections:\n  - id: [oops\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load(data_dir)
    assert str(exc.value.problems[0]).startswith("promotion.yaml: line ")


def test_rebuild_keeps_staff_rows(built):
    result = CliRunner().invoke(main, ["load-data", "--db", str(built), "-q"])
    assert result.exit_code == 0, result.output
    db = connect(built)
    rows = list(db.query("SELECT kpi_id, year, value, note FROM kpi_actuals"))
    assert rows == [{"kpi_id": "tourism-spending", "year": 2020, "value": 400.0, "note": "コロナ禍"}]
    assert db["kpi_audit"].count == 1


def test_rebuild_that_would_orphan_staff_rows_is_refused(data_dir, built):
    def drop_tourism(raw):
        raw["kpis"] = [k for k in raw["kpis"] if k["id"] != "tourism-spending"]

    _edit(data_dir / "kpis.yaml", drop_tourism)
    _edit(
        data_dir / "goals.yaml",
        lambda raw: raw["goals"][0]["measures"][3].__setitem__("kpis", []),
    )
    syn = yaml.safe_load((data_dir / "synonyms.yaml").read_text(encoding="utf-8"))
    syn["synonyms"] = [s for s in syn["synonyms"] if s["target"] != "tourism-spending"]
    (data_dir / "synonyms.yaml").write_text(yaml.safe_dump(syn, allow_unicode=True), encoding="utf-8")
    hist = yaml.safe_load((data_dir / "history.yaml").read_text(encoding="utf-8"))
    for ind in hist["indicators"]:
        if ind.get("kpi") == "tourism-spending":
            ind["kpi"] = None
    (data_dir / "history.yaml").write_text(yaml.safe_dump(hist, allow_unicode=True), encoding="utf-8")
    before = _snapshot(built)
    result = CliRunner().invoke(main, ["load-data", "--db", str(built), "--data-dir", str(data_dir)])
    assert result.exit_code != 0
    assert "tourism-spending" in result.output
    assert _snapshot(built) == before
