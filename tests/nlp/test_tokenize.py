"""fugashi + unidic-lite tokens: lemma, reading, and which words count for matching."""

from __future__ import annotations

import pytest

from nlp.analyze import analyze
from nlp.normalize import normalize
from nlp.tokenize import reading_of, tagger, tokenize


def test_one_tagger_per_process() -> None:
    assert tagger() is tagger()


@pytest.mark.parametrize(
    ("text", "lemmas"),
    [
        ("待機児童の目標は？", ("待機", "児童")),  # 目標 says what is wanted, not the topic
        ("会社を始めたい人への支援はありますか", ("会社", "始める", "人", "支援")),
        ("古い家を地震に強くしたい", ("古い", "家", "地震", "強い")),
        ("取組み", ()),  # an intent word, whatever its spelling
        ("バスの利用者", ("バス", "利用", "者")),
        ("基本理念について教えてください", ("基本", "理念")),
        ("何人いますか", ()),
    ],
)
def test_topic_lemmas(text: str, lemmas: tuple[str, ...]) -> None:
    assert analyze(text).lemmas == lemmas


def test_particles_and_symbols_do_not_count() -> None:
    tokens = tokenize(normalize("MICEとは何ですか？"))
    counted = [t.surface for t in tokens if t.content]
    assert counted == ["mice"]


def test_readings_are_katakana_and_kana_is_read_as_typed() -> None:
    # (loosely: long vowels aside, as Hepburn romaji writes them)
    assert reading_of(tokenize("待機児童")) == "タイキジド"
    assert reading_of(tokenize("たいきじどう")) == "タイキジド"
    assert reading_of(tokenize("taiki jido")) == "タイキジド"  # romaji spells the kana
    assert reading_of(tokenize("total")) == "total"  # not romaji: とたる would spell totaru
    # the tagger splits kana oddly; the reading still follows what was typed
    assert reading_of(tokenize(normalize("えすでぃーじーず"))) == reading_of(tokenize("エスディージーズ"))


def test_place_names_are_marked() -> None:
    places = [t.surface for t in tokenize("鹿児島市と熊本市") if t.is_place]
    assert places == ["鹿児島", "熊本"]


def test_kai_before_tte_after_a_noun_is_the_noun() -> None:
    # the tagger reads 「委員会って」 as 委員 + the verb 会う (会っ + て)
    assert analyze("策定委員会って、どんな立場").lemmas == ("策定", "委員", "会", "立場")
    assert "会う" in analyze("友達に会って話した").lemmas


def test_english_adjectives_in_al_share_the_noun_stem() -> None:
    from nlp.tokenize import english_lemma

    assert english_lemma("agricultural") == english_lemma("agriculture")
    assert english_lemma("regional") == english_lemma("region")
    assert english_lemma("ppl") == english_lemma("people")


def test_municipalities_are_one_word_not_a_town_and_a_village() -> None:
    assert analyze("近隣18市町村からなる").lemmas == ("近隣", "18", "市町村")
    assert analyze("まちとむらの交流").lemmas[:2] == ("町", "村")


def test_nori_is_the_seaweed_the_strategy_farms() -> None:
    # the tagger reads ノリ as 乗り (a ride); 「海苔はどう？」 must find 「ノリ養殖スケジュール」
    assert "海苔" in {t.lemma for t in tokenize("ノリ養殖スケジュールの見直し")}
