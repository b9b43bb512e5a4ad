"""The commands keep staff state where the servers do: with ``DATABASE_URL``, ``strategy-bot kpi
import`` writes the store's PostgreSQL (not the curated file), ``info`` counts it there, and
``load-data`` rebuilds the curated file without touching it, refusing a rebuild that would orphan it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from postgres import PostgresServer

from bot.cli import main
from store import open_store
from strategy_data.database import connect
from strategy_data.loader import DATA_DIR


def _edit(path: Path, fn) -> None:  # type: ignore[no-untyped-def]
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _without_tourism_spending(data_dir: Path) -> None:
    _edit(
        data_dir / "kpis.yaml",
        lambda raw: raw.__setitem__("kpis", [k for k in raw["kpis"] if k["id"] != "tourism-spending"]),
    )
    _edit(data_dir / "goals.yaml", lambda raw: raw["goals"][0]["measures"][3].__setitem__("kpis", []))
    _edit(
        data_dir / "synonyms.yaml",
        lambda raw: raw.__setitem__(
            "synonyms", [s for s in raw["synonyms"] if s["target"] != "tourism-spending"]
        ),
    )

    def unlink(raw: dict) -> None:
        for ind in raw["indicators"]:
            if ind.get("kpi") == "tourism-spending":
                ind["kpi"] = None

    _edit(data_dir / "history.yaml", unlink)


def test_commands_keep_staff_state_in_postgresql_and_load_data_keeps_it(
    pg_server: PostgresServer | None, built_db_path: Path, tmp_path: Path
) -> None:
    if pg_server is None:
        pytest.skip("PostgreSQL is not installed (make test installs it)")
    url = pg_server.create_database()
    runner = CliRunner(env={"DATABASE_URL": url, "STRATEGY_BOT_ENV_FILE": ""})

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(main, list(args), catch_exceptions=False)

    csv = tmp_path / "actuals.csv"
    csv.write_text("kpi_id,year,value\ntourism-spending,2022,700\n", encoding="utf-8")
    result = run("kpi", "import", str(csv), "--db", str(built_db_path), "--by", "cli:staff")
    assert result.exit_code == 0, result.output
    local = connect(built_db_path)
    assert local.execute("SELECT count(*) FROM kpi_actuals").fetchone() == (0,)  # not in the file
    local.close()
    info = run("info", "--db", str(built_db_path))
    assert [line.split()[-1] for line in info.output.splitlines() if "staff kpi actuals" in line] == ["1"]

    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    _without_tourism_spending(data_dir)
    refused = runner.invoke(main, ["load-data", "--db", str(built_db_path), "--data-dir", str(data_dir)])
    assert refused.exit_code != 0 and "tourism-spending" in refused.output
    local = connect(built_db_path)
    assert local.execute("SELECT count(*) FROM kpis WHERE id = 'tourism-spending'").fetchone() == (1,)
    local.close()

    rebuilt = run("load-data", "--db", str(built_db_path), "-q")
    assert rebuilt.exit_code == 0, rebuilt.output
    shared = open_store(url)
    try:
        with shared.backend.read() as tx:
            rows = tx.execute("SELECT kpi_id, year, value, entered_by FROM kpi_actuals")
            audit = tx.execute("SELECT action FROM kpi_audit")
    finally:
        shared.close()
    assert rows == [{"kpi_id": "tourism-spending", "year": 2022, "value": 700.0, "entered_by": "cli:staff"}]
    assert audit == [{"action": "import"}]
