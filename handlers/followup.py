"""Follow-up questions: 「その目標は？」 after 「出生数はどうなってる？」 asks about the same topic.

A follow-up is rewritten into the question it stands for, with the topic's name, and answered like
any question: 「その目標は？」 → 「出生数の目標は？」, 「平成29年は？」 → 「出生数の平成29年は？」,
「それに関する取組は？」 → 「出生数に関する取組は？」, 「その施策(3)は？」 after 基本目標2 →
「基本目標2の施策(3)は？」, and 「じゃあ観光消費額は？」 after a target → 「観光消費額の目標は？」.
A question that names a topic of its own is not a follow-up: the new topic wins.
"""

from __future__ import annotations

import re

from nlp.analyze import Analyzed, analyze
from nlp.normalize import compact, normalize
from nlp.scope_cues import ASKS_CONTACT, ASKS_FEE, ASKS_HOURS, PROCEDURE
from nlp.years import find_years, mask_years

# what an answer was about: the aspects a KPI (or any record) is asked for
ASPECTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("detail", re.compile(r"もっと|詳しく|詳細|くわしく|\bmore\b|\bdetails?\b")),
    (
        "policy",
        re.compile(
            r"取り?組|施策|対策|(何|なに)(を|か)?(して|する|やって|やる|やっとる)|何して|どう(進め|すすめ|推進)"
            r"|\bpolic|\bdoing\b"
        ),
    ),
    (
        "baseline",
        re.compile(
            r"基準値?|スタート|いつの(時点|数字|データ|値|やつ|もの|数)|何年の(数字|データ|値)|\bbaseline\b"
        ),
    ),
    ("deadline", re.compile(r"何年度?まで|いつまで|期限|\bby when\b")),
    ("unit", re.compile(r"単位|\bunits?\b")),
    ("latest", re.compile(r"実績|最新|現状|今(は|どう)|いまは|累計|どうなって|\bactual|\blatest\b")),
    ("target", re.compile(r"目標|ゴール|\btargets?\b|\bgoals?\b")),
    ("agenda", re.compile(r"話し合|議題|議事|何を(議論|検討|決め)|\bagenda\b|\bdiscuss")),
    ("date", re.compile(r"日にち|日付|日時|何日|何月何日|いつ(あった|開かれ|やった|だった)|\bwhat date\b")),
    (
        "definition",
        re.compile(
            # 「KPIってよく出てくるけど何？」
            r"とは|意味|って(そもそも|一体|いったい|結局)?(何|なに|なん)|って[^?？。]{1,14}(けど|が)(何|なに|なん)"
            # how a figure is counted: 「どうやって数えとると？」
            r"|どうやって(数え|計算|測|はか|算出|出し)|(計算|算出|集計)(方法|の仕方)"
            r"|\bmean|\bwhat is\b|\bstand for\b"
            r"|どう説明|(どういう|どんな)(意味|こと|考え方|もの)"  # 「この戦略ではどう説明されてる？」
        ),
    ),
)
# words that point back at the last topic, or open a turn that continues it
_POINTING = re.compile(
    r"^(じゃあ|じゃ|では|それでは|それなら|そんなら|ほんなら|そしたら|なら|で|あと|ちなみに|and|then|so)?[、,\s]*"
    # 「関係するプロジェクトは？」「それに関連して「多核連携都市」って」: the one related to the topic
    r"((?:それに|これに)?(?:関係|関連)(?:する|した|している|の|して)[、,\s]*(?=[「ァ-ヴ一-龥])"
    r"|その|この|それ|これ|そっち|こっち|its?\b|that\b|this\b)"
)
_CONTINUES = re.compile(
    r"^(じゃあ|じゃ|では|それでは|それなら|そんなら|ほんなら|そしたら|なら|あと|ちなみに"
    r"|and|then|what about|how about)"
)
_NEXT = re.compile(
    r"^(ほかに(は|も)?(ある|あります)?(か|の)?|他に(は|も)?(ある|あります)?(か|の)?|次(は|の|へ)?|その次(の回)?(は)?|次の回(は)?|"
    r"続き(は)?|もっと見せて|"
    r"more|next|others?|anything else|what else)[?？!！。\s]*$"
)
_NTH = re.compile(
    r"^(?:じゃあ|では|で)?[、,\s]*(?:その|この)?(?:中の|うちの)?\s*"
    r"(?:([①-⑩])|\(([0-9]{1,2})\)|([0-9一二三四五六七八九]{1,2})\s*(?:番目|つ目|つめ|個目|こめ|番)|(最後|いちばん下|一番下))"
    r"(?:の(?:人|方|もの|やつ|こと|委員|施策|項目|取組|取り組み|会議|指標|プロジェクト))?"
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_FIRST_TERM = re.compile(
    r"(第\s*[1一１]\s*期(戦略)?|前の(戦略|計画|総合戦略|期)|前期|[1一１]期目|最初の(戦略|計画|総合戦略))"
    r"(ん|の)?(とき|時)?(の|は|に)?"
)
_LAST_YEAR = re.compile(r"(最後|最終|おしまい)の年(度)?")
_VERY_FIRST = re.compile(r"(いちばん|一番|そもそもの)最初の")
_THIS_TERM = re.compile(r"今の|現在の|第\s*[2二２]\s*期|今回の(戦略|計画)|新しい(戦略|計画)")
TERM_ASPECTS = ("baseline", "target", "latest", "deadline")


FIGURE_ASPECTS = (*TERM_ASPECTS, "unit", "year")


def asks_figure_only(text: str) -> bool:
    """「第1期の平成30年の目標と実績は？」「基準値は？」: a KPI's figure, naming nothing else."""
    return aspect_of(text) in FIGURE_ASPECTS and names_nothing(_FIRST_TERM.sub("", bare(text)))


def says_first_term(text: str) -> bool:
    """The question is about the first strategy (「第1期の」「前の計画のとき」)."""
    return bool(_FIRST_TERM.search(text))


def says_this_term(text: str) -> bool:
    """The question is about the present strategy (「第2期の」「今の計画の」)."""
    return bool(_THIS_TERM.search(text))


def in_first_term(text: str, first_term: bool, year: int | None = None) -> str:
    """「基準値は？」「そん時の目標は？」 while the conversation is about the first strategy's figures
    stays there (「第1期の基準値は？」); 「いちばん最初の基準は？」 is the first strategy's too. A bare
    「目標は？」 right after one of its years' actual is that year's target (the card gives the final one
    beside it)."""
    if _VERY_FIRST.search(text) and aspect_of(text) == "baseline":
        return _VERY_FIRST.sub("第1期の", text, count=1)
    if _LAST_YEAR.search(text) and (first_term or says_first_term(text)):
        return _LAST_YEAR.sub("平成31年", text, count=1)  # 「第1期の最後の年の目標」: H31 (2019)
    if not first_term or says_first_term(text) or says_this_term(text) or find_years(text.casefold()):
        return text
    if aspect_of(text) == "target" and names_nothing(text) and year in _FIRST_TERM_YEARS:
        return f"第1期の{_era(year)}の" + bare(text)
    if aspect_of(text) in TERM_ASPECTS and names_nothing(text):
        return "第1期の" + bare(text)
    return text


_FIRST_TERM_YEARS = range(2015, 2020)  # H27–H31: the years of the first strategy's tables


# what no record holds (a phone number, a fee, opening hours, a procedure): a follow-up asking it is
# not shortened to an aspect of the topic (「議事録をメールで送って」 is no 「議題は？」)
_NOT_HELD = re.compile("|".join(rx.pattern for rx in (ASKS_CONTACT, ASKS_FEE, ASKS_HOURS, PROCEDURE)), re.I)
_ENDING = re.compile(r"(は|って|を|も)?[?？!！。\s]*$")
_ASPECT_PHRASE = {
    "target": "目標",
    "baseline": "基準値",
    "latest": "実績",
    "unit": "単位",
    "deadline": "目標の年度",
    "policy": "取組",
    "detail": "詳しい内容",
    "agenda": "議題",
    "date": "日時",
}
_ASPECT_TAIL = {"definition": "とは？"}  # 「じゃあDMOは？」 after a definition: 「DMOとは？」


_OTHER_KPIS = re.compile(r"(ほか|他)(に|の)(は|も)?[^?？。]{0,8}(指標|kpi|数値目標)", re.IGNORECASE)


def asks_other_kpis(text: str) -> bool:
    """「ほかにはどんな指標があると？」 after a KPI: the other KPIs beside it."""
    return bool(_OTHER_KPIS.search(text))


def phrased_aspect(asked: list[str]) -> str | None:
    """The latest aspect asked that another topic can be asked too (「じゃあ障がいのある人の就労は？」
    after its target, then a year)."""
    return next((a for a in reversed(asked) if a in _ASPECT_PHRASE), None)


def aspect_of(text: str) -> str | None:
    """The aspect a question asks for (the first that fits), or None."""
    t = text.casefold()
    if find_years(t):
        return "year"
    return next((name for name, rx in ASPECTS if rx.search(t)), None)


_OTHER = re.compile(r"^(ほかに|他に|others?|anything else|what else|more)")


def is_other(text: str) -> bool:
    """「ほかには？」 (rather than 「次」): something else about the same question."""
    return is_next(text) and bool(_OTHER.match(text.strip().casefold()))


def points_back(text: str) -> bool:
    """「その③は？」「この中の2番目」: the question points at the list just shown."""
    return bool(
        re.match(r"^(じゃあ|では|で)?[、,\s]*(その|この|それの|これの)|^.{0,4}(中の|うちの)", text.strip())
    )


def is_next(text: str) -> bool:
    """「ほかには？」「次」: the next items of the list last shown."""
    return bool(_NEXT.match(text.strip().casefold()))


def nth(text: str) -> int | None:
    """「2番目の」「その③は？」「2番目の人の所属は？」: that item of the list last shown (1-based);
    what follows the number may ask an aspect of it, but name nothing else."""
    t = text.strip()
    m = _NTH.match(t)
    if not m or not names_nothing(_KIND_WORD.sub("", _KPI_WORD.sub("", t[m.end() :]))):
        return None
    circled, paren, counted, last = m.groups()
    if circled:
        return _CIRCLED.index(circled) + 1
    if last:
        return LAST
    counted = counted.translate(_KANJI_DIGITS) if counted else counted
    return int(paren or counted)


def parenthesized(text: str) -> bool:
    """「(3)は？」「その(2)は？」 name an item by a parenthesized number, the mark of a 施策 or of a
    project's part (where ①② mark the parts of those)."""
    m = _NTH.match(text.strip())
    return bool(m) and bool(m.group(2))


def counts_on(text: str) -> bool:
    """「3つ目は？」「2番目の」 count through a list; 「②は？」「(3)は？」 name an item by its own mark
    (the ①② of the card just shown)."""
    m = _NTH.match(text.strip())
    return bool(m) and bool(m.group(3) or m.group(4))


def nth_asks(text: str) -> str | None:
    """What 「4つ目のKPIは？」「2番目の目標は？」 asks of the item picked (「のKPIは？」), or None when it
    asks for the item itself (「2番目の」「3つ目詳しく」)."""
    t = text.strip()
    m = _NTH.match(t)
    rest = _KIND_HEAD.sub("", t[m.end() :]) if m else ""  # 「3番目の基本目標は？」 asks for the goal
    if _KPI_WORD.search(rest) or aspect_of(rest) in (
        "target",
        "baseline",
        "latest",
        "unit",
        "deadline",
        "policy",
    ):
        return rest if rest.startswith("の") else "の" + rest
    return None


_KPI_WORD = re.compile(r"kpi|ＫＰＩ|指標", re.IGNORECASE)
_KIND_WORD = re.compile(r"(リーディング)?プロジェクト|基本目標")
_KINDS = {"プロジェクト": "projects", "基本目標": "goals"}
_KIND_HEAD = re.compile(r"^の?(リーディング)?(プロジェクト|基本目標)")


def numbered_kind(text: str) -> str | None:
    """The numbered list 「2番目のプロジェクトは？」「3つ目の基本目標」 counts through, whatever was shown:
    ``projects`` or ``goals``."""
    m = _KIND_WORD.search(text)
    return _KINDS[m.group().removeprefix("リーディング")] if m else None


LAST = -1  # 「最後のは？」: the last item of the list
_KANJI_DIGITS = str.maketrans("一二三四五六七八九", "123456789")


_SORRY = re.compile(
    r"^(あ|あっ|えっと|えーと|ごめん|ごめんなさい|すみません|すいません|失礼しました|いや|違う)[、,。!！\s]*"
)
_SAID = re.compile(r"(の|について)?(話|こと|件|やつ)?(です|でした|だよ|だった|やけど|ね|よ|で)?[。!！\s]*$")


def restated(text: str) -> str:
    """What an answer to 「どの項目？」 names: 「あ、ごめん、出生数の話です」 → 「出生数」."""
    t = text.strip()
    while _SORRY.match(t) and _SORRY.match(t).end() > 0:
        t = t[_SORRY.match(t).end() :]
    return _SAID.sub("", t) or text


_RELATIVE_YEAR = re.compile(r"(その)?(次の年|翌年|あくる年|前の年|前年|一年前|1年前)(度)?[、,\s]*")


_BARE_YEAR = re.compile(r"(?<![0-9０-９平成令和hHrR])([0-9]{1,2})年")
_THAT_TIME = re.compile(r"(その|この|そん|同じ)(とき|時)(の|は)?")


def _era(y: int) -> str:
    return f"平成{y - 1988}年" if y <= 2019 else f"令和{y - 2018}年"


def carry_year(text: str, year: int | None) -> str:
    """「その年の目標は？」 after 「平成29年は？」: the year meant, written out; 「29年は？」 after a
    year of the same era is that era's 29th year."""
    if find_years(_RELATIVE_YEAR.sub("", text).casefold()):
        return _RELATIVE_YEAR.sub("", text)  # 「その前の年、平成30年は？」: the year said outright
    if year is None:
        return text
    era_of = "平成" if year <= 2019 else "令和"
    if _BARE_YEAR.search(text):
        return _BARE_YEAR.sub(lambda m: f"{era_of}{m.group(1)}年", text, count=1)
    text = _THAT_TIME.sub(lambda m: _era(year) + (m.group(3) or "の"), text, count=1)  # 「そん時の目標は」

    # 「その次の年は？」「前の年は？」: the year before or after the one asked last
    text = re.sub(r"(その)?(次の年|翌年|あくる年)(度)?", _era(year + 1), text)
    text = re.sub(r"(その)?(前の年|前年|一年前|1年前)(度)?", _era(year - 1), text)
    return re.sub(r"(その|この|同じ)年(度)?", _era(year), text)


# nouns that ask about a topic rather than name one: its review (「課題は？」 after a KPI), its start
# (「1期目の最初は何件から？」), a meeting's business (「議事は？」)
_REVIEW_NOUNS = frozenset({"課題", "反省", "問題点", "最初", "年", "時", "前", "後", "議事", "議題"})
# how a figure compares (「いちばん少なかった実績は？」): said of the topic's figures, naming nothing
_COMPARING = frozenset({"少ない", "多い", "高い", "低い", "大きい", "小さい", "良い", "悪い"})


def _analysis(text: str) -> Analyzed:
    """A question's analysis for telling what it names (years masked)."""
    return analyze(mask_years(normalize(text)))


# words that name a kind of figure, not a record: 「いまの累計は？」 asks the topic's latest actual
_FIGURE_NOUNS = frozenset({"累計", "データ", "数字", "数値", "統計"})


def names_nothing(text: str) -> bool:
    """The question has no topic words of its own: only an aspect, a year, or pointing words."""
    return not set(_analysis(text).lemmas) - _REVIEW_NOUNS - _COMPARING - _FIGURE_NOUNS


_SIBLING = re.compile(
    r"^(?:じゃあ|じゃ|では|それでは|あと|なら)[、,\s]*(.{1,6}?)(?:とは|は|も|の方は|のほうは)[?？]?$"
)
_SHORT_SIBLING = re.compile(r"^(.{1,2}?)とは[?？]?$")  # 「県とは？」 with no じゃあ: only after 「国との…」
_LABEL_PART = re.compile(r"^(.{1,6}?)(との|の)(.+)$")


def sibling(text: str, label: str | None) -> str | None:
    """「じゃあ県とは？」 after 「国との連携」: the same part of the topic for another (「県との連携」)."""
    m = _SIBLING.match(text.strip())
    part = _LABEL_PART.match(label or "")
    if m is None and part is not None and part.group(2) == "との":
        m = _SHORT_SIBLING.match(text.strip())
    if not m or not part or m.group(1) == part.group(1):
        return None
    return f"{m.group(1)}{part.group(2)}{part.group(3)}は？"


def within_label(text: str, label: str | None) -> bool:
    """The question names only parts of the topic's own name (「元気ってどういう基準で数えとると？」
    after 「元気な高齢者の割合」): it asks about the topic, not about another record."""
    nouns = _nouns(text)
    name = compact(normalize(label or ""))
    return bool(nouns) and bool(name) and all(compact(n) in name for n in nouns)


def names_no_thing(text: str) -> bool:
    """The question's topic words are all verbs or adjectives (「増えた理由は？」「なんで減ったと？」):
    it says what happened, not to what."""
    return topic_nouns(text) == 0


def topic_words(text: str) -> list[str]:
    """The question's topic words (lemmas), in order."""
    return list(_analysis(text).lemmas)


def topic_nouns(text: str) -> int:
    """How many of the question's topic words are nouns (「新町の古い建物」 has two)."""
    return len(_nouns(text, besides=frozenset()))


def _nouns(text: str, besides: frozenset[str] = _REVIEW_NOUNS) -> set[str]:
    """The question's topic nouns, save those that only point at the topic's review or time."""
    analyzed = _analysis(text)
    topics = set(analyzed.lemmas) - besides
    return {t.lemma for t in analyzed.tokens if t.lemma in topics and t.pos1 == "名詞"}


def bare(text: str) -> str:
    """The question without the words that point back (「じゃあ、その施策(3)は？」 → 「施策(3)は？」)."""
    return _bare(text)


def _bare(text: str) -> str:
    """The question without the words that point back (「じゃあ、その目標は？」 → 「目標は？」)."""
    t = text.strip()
    t = _POINTING.sub("", t, count=1) if _POINTING.match(t.casefold()) else _CONTINUES.sub("", t, count=1)
    # 「それに 関する 取組は？」 typed with spaces between the words: the particle joined on
    return _SPACED_PARTICLE.sub(r"\1", t.lstrip("、, "))


_SPACED_PARTICLE = re.compile(r"^(に|の|は|って|で)\s+")


def rewrite(
    text: str,
    label: str | None,
    last_aspect: str | None,
    label_en: str | None = None,
    year: int | None = None,
    first_term: bool = False,
) -> str | None:
    """The standalone question a follow-up stands for, or None when it is not a follow-up.

    ``label`` names the conversation's topic (「出生数」「基本目標2」), ``label_en`` in English;
    ``last_aspect`` is what was asked about it last (「じゃあ観光消費額は？」 asks the same of
    another topic, of the first strategy while ``first_term``)."""
    t = text.strip()
    lowered = t.casefold()
    pointing = bool(_POINTING.match(lowered)) and not _THIS_STRATEGY.match(lowered)
    if t.isascii():
        return _rewrite_english(t, label_en or label, last_aspect, pointing)
    if label and (pointing or names_nothing(_FIRST_TERM.sub("", t))):
        rest = _bare(t)
        if find_years(rest.casefold()):  # a year's figure: the year alone finds the first-term table
            rest = _FIRST_TERM.sub("", rest)
        if not rest or _ENDING.fullmatch(rest):
            return f"{label}について詳しく"
        if _QUOTED.search(rest) and aspect_of(rest) == "definition":
            return None  # 「それに関連して「多核連携都市」ってどういう考え方？」: a concept of its own
        if rest.startswith(("に関する", "について", "に関して", "の", "は", "って", "とは")):
            return f"{label}{rest}"  # 「それはどがんハウス？」: 「低コスト耐候性ハウスはどんなハウス？」
        if _NOT_HELD.search(rest):  # 「その議事録をメールで送って」: asked as it is, to be declined
            return f"{label}の{rest}"
        if aspect_of(rest) == "policy" and not rest.startswith(("取", "施策", "対策")):
            return f"{label}について、{rest}"  # 「市は何をしてるの？」
        if aspect_of(rest) in ("agenda", "date"):
            return f"{label}の{_ASPECT_PHRASE[aspect_of(rest)]}は？"  # 「何を話し合ったの？」「日にちは？」
        if aspect_of(rest) in ("baseline", "unit", "deadline") and not _FIRST_TERM.search(rest):
            # 「いつの時点の数？」: the aspect said plainly
            return f"{label}の{_ASPECT_PHRASE[aspect_of(rest)]}は？"
        return f"{label}の{rest}"
    # 「平成29年は？」「じゃあ企業立地件数は？」: that year's figures of the other (its card gives the
    # targets beside them)
    phrase = _era(year) if last_aspect == "year" and year else _ASPECT_PHRASE.get(last_aspect or "")
    if phrase and aspect_of(t) is None and _CONTINUES.match(lowered):
        subject = _ENDING.sub("", _bare(t))
        if subject and len(subject) <= 20:
            term = "第1期の" if first_term and last_aspect in TERM_ASPECTS else ""
            return f"{term}{subject}の{phrase}は？"  # 「じゃあ観光消費額は？」
    bare_subject = re.fullmatch(r"(.{1,12}?)(は|って)[?？]?", t)
    if bare_subject and re.search(
        r"どこ|何|なに|いつ|誰|だれ|どう|どの|[るたいてだ]$", bare_subject.group(1)
    ):
        bare_subject = None  # 「どこで設定されてるって？」 asks about the term, not for another
    if last_aspect in _ASPECT_TAIL and aspect_of(t) is None and (_CONTINUES.match(lowered) or bare_subject):
        # 「KPIは？」 right after a definition: the definition of that word too
        subject = _ENDING.sub("", _bare(t))
        if subject and len(subject) <= 20:
            return subject + _ASPECT_TAIL[last_aspect]
    return None


_QUOTED = re.compile(r"「[^」]{2,}」")
_ASPECT_EN = {"target": "target", "baseline": "baseline", "latest": "latest actual", "unit": "unit"}


def _rewrite_english(t: str, label: str | None, last_aspect: str | None, pointing: bool) -> str | None:
    """「and the baseline?」「what's the target?」 after a topic; 「what about X?」 with the last aspect."""
    if label and (pointing or names_nothing(_FIRST_TERM.sub("", t))):
        rest = _bare(t)
        if find_years(rest.casefold()):  # a year's figure: the year alone finds the first-term table
            rest = _FIRST_TERM.sub("", rest).rstrip("?？ ")
        return f"{rest} for {label}?" if rest else f"tell me about {label}"
    if last_aspect in _ASPECT_EN and aspect_of(t) is None and _CONTINUES.match(t.casefold()):
        subject = _bare(t).rstrip("?？ ").strip()
        if subject:
            return f"what is the {_ASPECT_EN[last_aspect]} for {subject}?"
    return None


def needs_topic(text: str) -> bool:
    """A follow-up that only makes sense after a topic (「その目標は？」 with nothing before it)."""
    t = text.strip()
    if _THIS_STRATEGY.search(t.casefold()):
        return False  # 「この戦略っていつから？」「熊本市の総合戦略って何年まで？」: the strategy itself
    pointing = bool(_POINTING.match(t.casefold()))
    # 「それって前と比べて増えとる？」: pointing, and naming no thing of its own (verbs only)
    return (pointing and not _nouns(_bare(t) or t)) or (names_nothing(t) and aspect_of(t) is not None)


_THIS_STRATEGY = re.compile(r"^(この|その)(総合)?(戦略|計画)|総合戦略|^(this|the) (strategy|plan)\b")
