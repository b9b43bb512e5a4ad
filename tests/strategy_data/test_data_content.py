"""The curated data matches the strategy document: counts and spot checks."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "kumamoto_strategy_2020-2023.txt"


def test_counts(data):
    assert len(data.glossary.terms) == 19
    assert sorted(t.footnote for t in data.glossary.terms) == list(range(1, 20))
    assert len(data.goals.goals) == 3
    assert len(data.projects.projects) == 4
    assert len(data.overview.sections) == 8
    assert len(data.promotion.sections) == 4
    assert len(data.kpis.kpis) == 17
    assert len(data.committee.committee.meetings) == 4
    assert len(data.committee.committee.rules) == 9
    assert [len(g.measures) for g in data.goals.goals] == [4, 3, 2]
    assert [len(p.items) for p in data.projects.projects] == [3, 3, 3, 7]


@pytest.mark.parametrize(
    ("kpi_id", "unit", "baseline", "baseline_year", "target", "comparator"),
    [
        ("tourism-spending", "億円", 735, 2018, 852, "point"),
        ("public-transport-users", "千人", 53721, 2017, 56000, "point"),
        ("births", "人", 6766, 2018, 7000, "at_least"),
        ("waiting-children", "人", 6, 2019, 0, "point"),
        ("net-migration", "人", 494, 2019, 400, "point"),
        ("job-openings-ratio", "倍", 1.14, 2018, 1.00, "point"),
        ("gross-city-product", "十億円", 2496, 2015, 2692, "point"),
        ("farm-shipment-per-household", "万円", 1003, 2017, 1084, "point"),
        ("graduate-retention", "％", 42.9, 2018, 56.5, "point"),
        ("healthy-elderly", "％", 78.15, 2018, 78.46, "point"),
        ("residential-density", "人／ha", 60.5, 2018, 60.7, "point"),
        ("disabled-employment", "人", 114, 2018, 117, "point"),
        ("marriage-site-access", "万件", 326, 2018, 335, "point"),
    ],
)
def test_kpi_figures(data, kpi_id, unit, baseline, baseline_year, target, comparator):
    kpi = {k.id: k for k in data.kpis.kpis}[kpi_id]
    assert kpi.unit == unit
    assert kpi.baseline.value == pytest.approx(baseline)
    assert kpi.baseline.year == baseline_year
    assert kpi.target.value == pytest.approx(target)
    assert kpi.target.year == 2023
    assert kpi.target.comparator == comparator


@pytest.mark.parametrize(
    ("kpi_id", "direction"),
    [
        ("waiting-children", "down"),
        ("net-migration", "down"),
        ("job-openings-ratio", "down"),
        ("births", "up"),
    ],
)
def test_direction(data, kpi_id, direction):
    assert {k.id: k for k in data.kpis.kpis}[kpi_id].direction == direction


def test_relisted_kpis_are_links_not_duplicates(db):
    relisted = {(r["kpi_id"], r["place"]) for r in db.query("SELECT * FROM kpi_listings WHERE relisted = 1")}
    assert relisted == {
        ("births", "g2-m1"),
        ("residential-density", "g3-m1"),
        ("community-participation", "g3-m2"),
    }
    assert db["kpis"].count == 17


@pytest.mark.skipif(
    not SEED.exists(), reason="the source document (../shared/seeds) is not beside this checkout"
)
def test_every_kpi_name_is_printed_in_the_document(data):
    text = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
    for kpi in data.kpis.kpis:
        assert re.sub(r"\s+", "", kpi.name) in text, kpi.name


@pytest.mark.skipif(
    not SEED.exists(), reason="the source document (../shared/seeds) is not beside this checkout"
)
def test_every_japanese_word_for_an_english_one_is_the_documents_own(data):
    from nlp.normalize import compact, normalize

    text = compact(normalize(SEED.read_text(encoding="utf-8")))  # as the search reads both
    words = data.english_words.words
    assert len(words) > 500
    for english, japanese in words.items():
        for word in japanese:
            assert compact(normalize(word)) in text, (english, word)


@pytest.mark.parametrize(
    ("indicator", "series", "column", "value", "year"),
    [
        ("h-gross-city-product", "actual", "H27", 2325, 2012),  # printed 「2,325（H24）」
        ("h-gross-city-product", "target", "H31", 2541, 2019),
        ("h-net-migration", "actual", "H28", -1394, 2016),
        ("h-net-migration", "actual", "H27", -37, 2014),
        ("h-births", "actual", "H30", 6766, 2018),
        ("h-tourist-visitors", "actual", "H30", 4954, 2018),
        ("h-work-childcare-balance", "actual", "H30", 26.8, 2018),
        ("h-public-transport-users", "actual", "H30", 53721, 2017),  # printed 「53,721（H29）」
        ("h-farm-shipment-per-household", "actual", "H28", 944, 2015),
    ],
)
def test_first_term_history(db, indicator, series, column, value, year):
    rows = list(
        db.query(
            "SELECT value, year FROM history_values WHERE indicator_id = ? AND series = ? AND [column] = ?",
            [indicator, series, column],
        )
    )
    assert rows, (indicator, series, column)
    assert rows[0]["value"] == pytest.approx(value)
    assert rows[0]["year"] == year


def test_first_term_only_indicators_have_no_second_term_link(data):
    by_id = {h.id: h for h in data.history.indicators}
    assert by_id["h-tourist-visitors"].kpi is None
    assert by_id["h-work-childcare-balance"].kpi is None
    assert by_id["h-commercialized-products"].kpi == "commercialized-products"


def test_meetings(data):
    meetings = {m.number: m for m in data.committee.committee.meetings}
    assert sorted(meetings) == [2, 3, 4, 5]
    assert meetings[2].date == dt.date(2019, 8, 7) and meetings[2].start_time == dt.time(9, 30)
    assert meetings[3].date == dt.date(2019, 10, 29) and meetings[3].start_time == dt.time(15, 0)
    assert meetings[4].date == dt.date(2019, 12, 24) and meetings[4].tentative
    assert meetings[5].date == dt.date(2020, 2, 14) and meetings[5].start_time is None
    assert meetings[5].correction and "2020" in meetings[5].correction
    weekdays = {2: 2, 3: 1, 4: 1, 5: 4}  # 水 火 火 金
    for number, weekday in weekdays.items():
        assert meetings[number].date.weekday() == weekday
    pc = data.committee.committee.public_comment
    assert (pc.start, pc.end) == (dt.date(2020, 1, 6), dt.date(2020, 2, 5))


def test_members(data):
    c = data.committee.committee
    assert c.members_at_a_time == 8
    assert len(c.members) == 9
    for day in (dt.date(2019, 1, 1), dt.date(2020, 6, 1)):
        serving = [m for m in c.members if m.term_start <= day <= m.term_end]
        assert len(serving) == 8, day


def test_overview_key_facts(data):
    text = " ".join(s.text + " ".join(s.facts) for s in data.overview.sections)
    for fact in ("70万人", "2050", "2020", "2023", "4年間", "ＳＤＧｓ未来都市"):
        assert fact in text or fact.replace("ＳＤＧｓ", "SDGs") in text, fact


def test_every_record_cites_a_source(db):
    for table in ("goals", "measures", "measure_items", "kpis", "glossary", "projects", "meetings"):
        assert (
            db.execute(f"SELECT COUNT(*) FROM [{table}] WHERE source IS NULL OR source = ''").fetchone()[0]
            == 0
        )
