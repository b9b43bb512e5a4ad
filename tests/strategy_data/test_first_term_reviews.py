"""The first term's review of each 施策 (first_term_reviews.yaml) is the document's text, linked to the
first-term KPI tables of history.yaml, built into its table and reachable through the corpus."""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from handlers.corpus import Corpus
from strategy_data.loader import DATA_DIR, DataError, load

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "kumamoto_strategy_2020-2023.txt"
needs_seed = pytest.mark.skipif(
    not SEED.exists(), reason="the source document (../shared/seeds) is not beside this checkout"
)


def _squash(text: str) -> str:
    """No whitespace, full-width digits as ASCII digits (and nothing else changed)."""
    digits = "".join(unicodedata.normalize("NFKC", ch) if ch.isdigit() else ch for ch in text)
    return re.sub(r"\s+", "", digits)


@pytest.fixture(scope="module")
def corpus(db):
    return Corpus.load(db)


def test_one_review_per_first_term_measure_with_unique_ids(data):
    reviews = data.first_term_reviews.reviews
    assert [(r.goal, r.number) for r in reviews] == [
        ("goal-1", 1), ("goal-1", 2), ("goal-1", 3), ("goal-1", 4),
        ("goal-2", 1), ("goal-2", 2), ("goal-2", 3),
        ("goal-3", 1), ("goal-3", 2),
    ]  # fmt: skip
    assert not [i for i, n in Counter(r.id for r in reviews).items() if n > 1]
    assert [r.id for r in reviews] == [f"ftr-{r.goal[-1]}-{r.number}" for r in reviews]
    for r in reviews:
        assert r.everyday and any(re.search(r"[ぁ-んァ-ン一-龥]", e) for e in r.everyday), r.id
        assert any(re.fullmatch(r"[ -~]+", e) for e in r.everyday), r.id  # English phrasings too


def test_every_review_links_to_history(data):
    history = data.history.indicators
    measures = {(h.goal, h.first_term_measure) for h in history if h.first_term_measure}
    by_id = {h.id: h for h in history}
    for r in data.first_term_reviews.reviews:
        linked = [by_id[h] for h in r.history]
        assert linked, r.id
        assert all(h.goal == r.goal for h in linked), r.id
        if r.id != "ftr-2-1":  # its page prints only the goal's 数値目標 (出生数), no KPI
            assert (r.goal, r.first_term_measure) in measures, r.first_term_measure
    assert (
        by_id["h-births"].id in next(r for r in data.first_term_reviews.reviews if r.id == "ftr-2-1").history
    )
    assert {(h.goal, h.first_term_measure) for h in history if h.first_term_measure} <= {
        (r.goal, r.first_term_measure) for r in data.first_term_reviews.reviews
    }


@needs_seed
def test_every_bullet_and_item_is_printed_in_the_document(data):
    text = _squash(SEED.read_text(encoding="utf-8"))
    for r in data.first_term_reviews.reviews:
        for part in ("direction", "review", "items"):
            for entry in getattr(r, part):
                assert _squash(entry) in text, (r.id, part, entry)
        assert _squash(r.first_term_measure) in text, r.first_term_measure


@needs_seed
def test_no_bullet_or_item_of_the_section_is_left_out(data):
    """Every ⚫ bullet and every ①②… item printed on the 施策 pages is in the file, none twice."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = lines.index("熊本市しごと・ひと・まち創生総合戦略検証委員会資料")
    section = [line.strip() for line in lines[start:]]
    reviews = data.first_term_reviews.reviews
    assert sum(line.startswith("⚫") for line in section) == sum(
        len(r.direction) + len(r.review) for r in reviews
    )
    assert sum(bool(re.match(r"[①-⑨]", line)) for line in section) == sum(len(r.items) for r in reviews)
    entries = [e for r in reviews for e in (*r.direction, *r.review)]
    # 施策 (2) and (3) of 基本目標２ print the same 保育士 bullet; nothing else repeats
    assert {e for e, n in Counter(entries).items() if n > 1} == {
        "保育の量及び質を支える保育士の確保と処遇の改善を図るとともに利用者と施設とのマッチングを強化していく。"
    }


@needs_seed
def test_the_goals_page_lists_the_same_measures(data):
    """The section's first page lists each goal's first-term 施策 as 「（１）…」: the same titles."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = lines.index("熊本市しごと・ひと・まち創生総合戦略検証委員会資料")
    listed = {
        m.group(1)
        for line in lines[start : start + 140]
        if (m := re.fullmatch(r"（[１-９]）(.+)", line.strip()))
    }
    assert listed == {r.title for r in data.first_term_reviews.reviews}


@pytest.mark.parametrize(
    ("review_id", "part", "fact"),
    [
        ("ftr-1-4", "review", "宿泊者数は２８１万人"),
        ("ftr-1-4", "review", "アジアでは前年比で４割"),
        ("ftr-1-4", "review", "（▲３７万人）"),
        ("ftr-1-4", "direction", "【復】熊本城の特別公開"),
        ("ftr-3-1", "review", "3,698件の空家等"),
        ("ftr-1-2", "direction", "「夢と活力ある農業推進事業」"),
        ("ftr-2-1", "review", "未婚化・晩婚化"),
        ("ftr-1-1", "direction", "必要がる。"),  # the document's typo, kept
    ],
)
def test_facts_citizens_ask_about(data, review_id, part, fact):
    review = next(r for r in data.first_term_reviews.reviews if r.id == review_id)
    assert any(fact in entry for entry in getattr(review, part))


def test_text_printed_over_an_item_is_left_out_and_noted(data):
    by_id = {r.id: r for r in data.first_term_reviews.reviews}
    assert by_id["ftr-2-1"].items[0] == "若者の結婚・出産の希望をかなえるための支援を行います。"
    assert by_id["ftr-2-2"].items[0] == "地域における子育て支援を充実します。"
    assert all(by_id[i].notes for i in ("ftr-2-1", "ftr-2-2", "ftr-2-3"))


def test_the_table_is_built(db):
    rows = list(db.query("SELECT * FROM first_term_reviews ORDER BY goal_id, number"))
    assert len(rows) == 9
    row = next(r for r in rows if r["id"] == "ftr-1-4")
    assert row["goal_id"] == "goal-1" and row["first_term_measure"] == "施策４ 交流人口の拡大"
    assert row["source"] == "参考資料 > 検証委員会資料（令和元年8月7日） > 基本目標１ > 施策４ 交流人口の拡大"
    assert row["review_source"].endswith("> 施策４ 交流人口の拡大 > 課題・検証")
    assert row["direction_source"].endswith("> 方向性")
    phrases = {r["phrase"] for r in db.query("SELECT phrase FROM synonyms WHERE target_id = 'ftr-1-4'")}
    assert "宿泊者数は過去最高" in phrases


def test_the_corpus_links_reviews_and_history(corpus):
    assert len(corpus.first_term_reviews) == 9
    review = corpus.review_of_history("h-tourist-visitors")
    assert review is not None and review["id"] == "ftr-1-4"
    assert any("２８１万人" in b for b in review["review"])
    assert isinstance(review["direction"], list) and len(review["items"]) == 4
    assert corpus.review_of("施策４ 交流人口の拡大") is review
    assert corpus.review_of("施策４ 交流人口の拡大", "goal-2") is None
    assert corpus.review_of_history("h-births")["id"] == "ftr-2-1"
    assert corpus.review_of_history("h-gross-city-product") is None  # on the goals' page only
    assert [h["id"] for h in corpus.history_of_review("ftr-3-2")] == [
        "h-community-participation",
        "h-healthy-elderly",
        "h-disabled-employment",
    ]
    assert [r["number"] for r in corpus.reviews_of_goal("goal-2")] == [1, 2, 3]
    for h in corpus.history:
        if h["first_term_measure"]:
            linked = corpus.review_of(h["first_term_measure"], h["goal_id"])
            assert linked is not None and linked is corpus.review_of_history(h["id"])


def _edit(path: Path, fn) -> None:  # type: ignore[no-untyped-def]
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda raw: raw["reviews"][3].__setitem__("first_term_measure", "施策４ 交流の拡大"),
            "review 'ftr-1-4': first_term_measure should be 「施策４ 交流人口の拡大」",
        ),
        (
            lambda raw: raw["reviews"][3]["history"].append("h-no-such"),
            "review 'ftr-1-4': history.1: unknown history indicator 'h-no-such'",
        ),
        (
            lambda raw: raw["reviews"][0]["history"].pop(),
            "review 'ftr-1-1': history: 'h-commercialized-products' of this 施策",
        ),
        (
            lambda raw: raw["reviews"][3].__setitem__("review", []),
            "review 'ftr-1-4': review:",
        ),
    ],
)
def test_broken_reviews_are_reported(tmp_path: Path, edit, message: str) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    _edit(data_dir / "first_term_reviews.yaml", edit)
    with pytest.raises(DataError) as exc:
        load(data_dir)
    expected = f"first_term_reviews.yaml: {message}"
    assert any(str(p).startswith(expected) for p in exc.value.problems), exc.value.problems
