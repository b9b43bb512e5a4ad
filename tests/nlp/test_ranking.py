"""Ranking over the real strategy records: readings, paraphrases, typos, confidence."""

from __future__ import annotations

import pytest

from nlp.analyze import analyze
from nlp.intent import detect, strip_refs
from nlp.normalize import normalize
from nlp.ranking import rank
from nlp.years import mask_years


def top(answerer, text: str):
    norm = normalize(text)
    candidates = rank(answerer.index, analyze(mask_years(strip_refs(norm))), detect(norm))
    return candidates[0] if candidates else None


@pytest.mark.parametrize(
    ("text", "doc_id"),
    [
        # kana for terms written in kanji or Latin letters
        ("たいきじどう", "waiting-children"),
        ("じぎょうしょうけい", "p4-i5-s2"),
        ("ディーエムオーとは", "term-dmo"),
        ("えすえぬえす", "term-sns"),
        ("ﾀｲｷｼﾞﾄﾞｳ", "waiting-children"),  # half-width kana
        # everyday paraphrases (synonyms.yaml)
        ("会社を始めたい人への支援", "p4-i5-s1"),
        ("古い家を地震に強くしたい", "g3-m1-i3"),
        ("留学生が熊本の会社に就職する", "g1-m3-i1"),
        ("婚活の支援", "g2-m1-i1"),
        # one-character typos in longer terms
        ("低コスト耐光性ハウスとは", "term-weather-resistant-greenhouse"),
        ("シンボルプロムナートって何", "term-symbol-promenade"),
        ("インキュベーダ施設", "term-incubator"),
        # conjugation does not matter
        ("会社を始めました", "p4-i5-s1"),
        # the longest name wins over a name inside it
        ("地方創生SDGs官民連携プラットフォームとは", "term-sdgs-platform"),
        # a title quoted in part
        ("多核連携都市の実現に向けた公共交通網の充実", "g3-m1"),
    ],
)
def test_top_record(answerer, text: str, doc_id: str) -> None:
    best = top(answerer, text)
    assert best is not None and best.doc.id == doc_id, (text, best and best.doc.id)


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("UIJターンとは", "glossary"),
        ("UIJターンで就職した人の目標", "kpi"),
        ("企業誘致の取り組み", "policy"),
        ("企業誘致の件数の目標", "kpi"),
    ],
)
def test_intent_picks_the_kind_of_record(answerer, text: str, group: str) -> None:
    assert top(answerer, text).doc.group == group


@pytest.mark.parametrize("text", ["住民票の取り方", "今日の株価", "ラーメンの作り方", "宝くじの当選番号"])
def test_unrelated_questions_have_low_confidence(answerer, text: str) -> None:
    best = top(answerer, text)
    assert best is None or best.confidence < 0.5


def test_ranking_is_deterministic(answerer) -> None:
    a = [c.doc.id for c in rank(answerer.index, analyze("子育て支援"), detect("子育て支援"))]
    b = [c.doc.id for c in rank(answerer.index, analyze("子育て支援"), detect("子育て支援"))]
    assert a == b
