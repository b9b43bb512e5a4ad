"""How a sentence is found to say a question's word (handlers.passage)."""

from handlers.passage import Sentence, Word, _said


def _sentence(text: str, lemmas: set[str], reading: str = "") -> Sentence:
    return Sentence(0, text, text, frozenset(lemmas), frozenset(), True, True, reading)


def test_an_everyday_verb_is_said_as_itself_or_as_the_strategys_noun() -> None:
    verb = Word("減る", ("減る", "減少"), 1.0, native=True)
    assert _said([verb], _sentence("入園者が大きく減少した", {"入園", "者", "減少"})) == {"減る"}
    assert _said([verb], _sentence("入園者が減った", {"入園", "者", "減る"})) == {"減る"}


def test_the_japanese_for_an_english_word_inside_anothers_suffixed_word_is_not_said() -> None:
    member = Word("member", ("委員",), 1.0)
    committee = Word("committe", ("委員会",), 1.0)
    said = _said([member, committee], _sentence("委員会は会議を開く", {"委員", "会", "会議"}))
    assert said == {"committe"}  # the 委員 of 委員会 is the committee, not its members too


def test_romaji_is_said_by_the_kana_it_spells() -> None:
    romaji = Word("sodan", (), 1.0, reading="ソダン")
    window = _sentence("総合相談窓口", {"総合", "相談", "窓口"}, "ソゴソダンマドグチ")
    assert _said([romaji], window) == {"sodan"}
