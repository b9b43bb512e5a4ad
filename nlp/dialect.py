"""Kumamoto dialect (熊本弁) endings in standard Japanese, so that the tagger reads them as words.

Citizens type as they speak: 「主力品目は何て書いてあっと？」「バスが通らんところはどがんなっとですか」
「市は何しよると？」. Read as they are, the endings become nouns (あっと → アット, どがん → 鉋) and count
against the answer as words nothing explains. These rewrites turn the common ones into the standard
forms (あるの, どう, しているの); they apply to questions only, and only to forms the strategy's own
formal text never uses.
"""

from __future__ import annotations

import re

from nlp import homophones

_END = r"(?=[?？。!！、\s]|ですか|でしょうか|です|か[?？]|$)"
# 「話変わるけど、」「ところで、」: a new topic starts
_NEW_TOPIC = (
    r"^(?:話(?:は|が)?(?:変|か)わ(?:るけど|るけれど|るが|りますが|りますけど|って)|ところで|さて)[、,\s]*"
)


def new_topic(text: str) -> bool:
    """The message says it starts a new topic (「話変わるけど、…」)."""
    return bool(re.match(_NEW_TOPIC, text.strip()))


_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), standard)
    for pattern, standard in (
        (r"(どげん|どぎゃん|どがん)(な|の)?(こと|事)", "どんなこと"),
        (r"(どげん|どぎゃん|どがん)な?(?=[一-龥ァ-ヴ])", "どんな"),  # 「それってどぎゃんハウス？」
        (r"どげん|どぎゃん|どがん", "どう"),
        (r"そぎゃん|そげん|そがん", "そんな"),  # 「なんでそぎゃん増えたと？」
        (r"どんくらい|どんぐらい", "どのくらい"),  # 「毎年どんくらい増やすと？」 (not 殿)
        (r"なんぼ", "いくら"),  # 「支援金はなんぼもらえると？」
        (r"なんば(?=し|す|やっ|やる)", "何を"),  # 「市はなんばしよっと？」
        (r"(こと|事)ば(?=し|す|やっ|やる)", r"\1を"),  # 「どがんことばしよっと？」, not 言葉
        (r"こぎゃん|こげん|こがん", "こんな"),
        (r"あっと" + _END, "あるの"),
        (r"なっと" + _END, "なるの"),
        (r"おっと" + _END, "いるの"),
        (r"しよっと" + _END, "しているの"),
        (r"しよる(と|とですか|ん)?" + _END, "しているの"),
        (r"しよら(す|れる)", "している"),
        (r"([一-龥])しよる(?=[一-龥])", r"\1している"),  # 「直しよる途中」: a verb going on, before a noun
        (r"しとる(と|ん)?" + _END, "しているの"),
        (r"しとる", "している"),
        (r"っとる(と|ん)?" + _END, "っているの"),  # 「なっとる」「持っとる」
        (r"っとる", "っている"),
        # 「乗りよる」「働きよる」「住みよる」: a verb going on, as 乗っている
        (r"([一-龥])りよる(と|ん)?" + _END, r"\1っているの"),
        (r"([一-龥])きよる(と|ん)?" + _END, r"\1いているの"),
        (r"([一-龥])みよる(と|ん)?" + _END, r"\1んでいるの"),
        (r"([一-龥])いよる(と|ん)?" + _END, r"\1っているの"),  # 「言いよる」「思いよる」, not 言い寄る
        # 「生まれよる」「増えよる」「来よる」: a verb of the ichidan kind going on, as 生まれている
        (r"([一-龥][ぁ-ゖ]?[れえけせてねべめげじ]|来)よる(と|ん)?" + _END, r"\1ているの"),
        (r"おらん", "いない"),
        (r"わからん", "わからない"),
        (r"知らん", "知らない"),
        (r"通らん", "通らない"),
        (r"足らん", "足りない"),
        (r"ばってん", "けれど"),
        (r"(が|の方が|ほうが)よか(?=と|ね|ろう|です|[?？]|$)", r"\1いい"),  # 「どっちがよかと思います？」
        (r"やけん", "だから"),
        (r"(?<=[たるいだ])けん(?=[、,\s])", "から"),  # 「ハウスがやられたけん、」
        # 「台風に強かハウス」「古か町並み」: an adjective before its noun, as 強い
        (r"(強|古|高|安|近|遠|多|良|早|若|広|狭|寒|暑|新し|美し|寂し|難し|忙し)か(?=[一-龥ァ-ヴ])", r"\1い"),
        (r"(で)?よかけん", r"\1いいから"),  # 「ざっくりでよかけん」
        (r"要は(?=[、,]?(なに|何|なん|どう|どんな|どういう))", ""),  # 「要はなにを目指しとると？」: a filler
        (r"とですか", "のですか"),
        (_NEW_TOPIC, ""),  # the words say nothing of the topic itself
    )
)


# What a question asks of a record, typed in kana (「きじゅんちは？」): the tagger splits these into
# symbols or adverbs, so they are written in kanji like the strategy writes them.
_KANA_WORDS = {
    "きじゅんち": "基準値",
    "きじゅん": "基準",
    "もくひょうち": "目標値",
    "もくひょう": "目標",
    "すうじ": "数字",
    "しひょう": "指標",
    "じっせきち": "実績値",
    "じっせき": "実績",
    "たんい": "単位",
    "さいしん": "最新",
    "げんじょう": "現状",
    "すうち": "数値",
    "とりくみ": "取組",
    "かんする": "関する",  # 「それに かんする とりくみは？」
    "かんけい": "関係",
    "かんれん": "関連",
    "しんちょく": "進捗",
    "きほんもくひょう": "基本目標",  # 「きほんもくひょう3ってどんな内容？」
    "りーでぃんぐぷろじぇくと": "リーディングプロジェクト",
    "ぷろじぇくと": "プロジェクト",
    "へいせい": "平成",  # 「へいせい27ねんの じっせきは？」
    # question words typed in kana (「なんにんいれば開けるの？」): a count asked, as written in kanji
    "なんにん": "何人",
    "なんけん": "何件",
    "なんかい": "何回",
    "なんねんど": "何年度",
    "れいわ": "令和",
}
# a year typed in kana after its era (「平成27ねん」, from 「へいせい27ねん」)
_KANA_YEAR = re.compile(r"(平成|令和)\s*([0-9０-９]{1,2})\s*ねん(ど)?")
_KANA_WORD = re.compile("|".join(sorted(_KANA_WORDS, key=len, reverse=True)))
# a laugh typed after a sentence (「出会いがまったくないです（笑）市って…」): the sentence ends there
_LAUGH = re.compile(r"[（(]\s*笑\s*[)）]")
# the topic particle typed as it sounds (「平成28ねんわ？」「単位わ？」): は, after a word, at the end
_SOUNDED_WA = re.compile(r"(?<=[一-龥0-9])わ(?=\s*[?？]|\s*$)")


def standard(text: str) -> str:
    """``text`` (normalized) with 熊本弁 endings in standard Japanese, and aspect words typed in kana
    in kanji, and aspect words typed with a wrong kanji of the same reading (目票) as written."""
    for rx, standard_form in _REWRITES:
        text = rx.sub(standard_form, text)
    text = _KANA_YEAR.sub(lambda m: f"{m[1]}{m[2]}年" + ("度" if m[3] else ""), _KANA_WORD.sub(_kanji, text))
    return homophones.corrected(_SOUNDED_WA.sub("は", _LAUGH.sub("。", text)))


def _kanji(m: re.Match) -> str:
    return _KANA_WORDS[m.group()]
