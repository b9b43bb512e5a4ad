"""The kind of answer a question wants, and the references and constraints it carries.

Cues are matched on normalized text (NFKC, case-folded). They decide the *kind* of answer
(a definition, a KPI figure, a policy, committee facts, a list, help, a greeting); what the
question is *about* is decided by ranking over the strategy records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from nlp.years import find_years

StatusWord = Literal["達成", "順調", "遅れ"]


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts))


DEFINITION = _rx(
    r"とは",
    r"って(何|なに|なん)",
    r"ってどういう",
    r"って[?？]?$",
    r"の意味",
    r"意味(は|を|が)",
    r"どういう意味",
    r"定義",
    r"(何|なん|誰|だれ)のこと",
    r"何を(指す|意味)",
    r"は(何|なに|なん)(です|でしょう|ですか)?[?？]*$",
    r"(何|なん|なに)の(略|こと)",
    r"の略",
    r"ってなん(です|でしょう)?",
    r"どんな(もの|意味|こと)を(言|い)う",
    r"\bwhat('s| is| are| does)\b",
    r"\bmeaning of\b",
)
KPI = _rx(
    r"(?<!基本)目標",
    r"基準値",
    r"実績",
    r"達成",
    r"ど(れ|の)[くぐ]らい",
    r"何(人|件|倍|割|位|パーセント|%)",
    r"いくつ",
    r"数値",
    r"指標",
    r"kpi",
    r"進捗",
    r"推移",
    r"現状",
    r"(増え|減っ|伸び)て(る|いる|います|き)?(か|の)?[?？]*$",
    r"いくら",
    r"見込",
    r"目指して",
    r"生まれて",
    r"割合",
    r"比率",
    r"(人|件)数(は|って|を|が|$)",
    r"\btargets?\b",
    r"\bbaseline\b",
    r"\bhow (many|much)\b",
    r"\bnumber of\b",
    r"\b(actual|latest) (figure|value|result)s?\b",
)
POLICY = _rx(
    r"取組",
    r"施策",
    r"何を(して|する|やって)",
    r"なにを(して|する|やって)",
    r"何して",
    r"支援",
    r"対策",
    r"事業",
    r"どんな",
    r"プロジェクト",
    r"政策",
    r"方針",
    r"推進",
    r"整備",
    r"どうなって",
    r"どうして(い|る)",
    r"検討",
    r"したい",
    r"補助",
    r"助成",
    r"促進",
    r"誘致",
    r"何か(して|やって|し(てい|てる|ます)|取り組|考え|対策)",
    r"して(くれ|もらえ|います|いる|る)(か|の|ん)",
    r"(助け|手伝|後押し|サポート|応援)",
    r"力を入れ",
    r"用意して",
    r"(どう|どのように)(する|して|取り組|考え)",
    r"\b(support|help|policy|policies|measures?|initiatives?|doing|efforts?|promote)\b",
)
COMMITTEE = _rx(
    r"会議",
    r"委員",
    r"次回",
    r"定足数",
    r"任期",
    r"議決",
    r"議事",
    r"議題",
    r"傍聴",
    r"庶務",
    r"事務局",
    r"パブリックコメント",
    r"パブコメ",
    r"要綱",
    r"委嘱",
    r"招集",
    r"互選",
    r"議長",
    r"\bcommittee\b",
    r"\bmeetings?\b",
    r"\bmembers?\b",
)
NEXT_MEETING = _rx(
    r"次回",
    r"次の(会議|委員会|検証委員会|開催|予定)",
    r"今度の(会議|委員会|検証委員会)",
    r"次は(いつ|何日)",
    r"次に開",
    r"今後の(会議|開催|予定)",
    r"(これから|今後)(の)?(会議|委員会)",
    r"予定されている(会議|委員会)",
    r"直近の(会議|委員会)",
    r"開催予定",
    r"(会議|委員会)の(予定|日程)",
    r"(会議|委員会)はいつ(ある|あり|開)",
    r"(会議|委員会)は(いつ|何時)",
    r"\bnext (committee )?meeting\b",
    r"\bupcoming meeting\b",
)
FIRST_TERM = _rx(
    r"第\s*1\s*期",
    r"前期",
    r"これまでの(実績|推移)",
    r"推移",
    r"経過",
    r"過去の実績",
    # asking how a figure changed (「待機児童って減ったの？」) is answered with the printed series
    r"(減|増)(った|って|えた|えて|少し|加し)",
    r"(下|上)が(った|って)",
    r"変わ(った|って)",
    r"どう(なった|なって)",
)
MEETING_HISTORY = _rx(r"これまで", r"今まで", r"過去", r"開催(状況|経過|実績|履歴)", r"何回", r"策定経過")
LIST = _rx(
    r"一覧",
    r"リスト",
    r"全部",
    r"すべて",
    r"全て",
    r"ぜんぶ",
    r"一通り",
    r"何がある",
    r"なにがある",
    r"どんなものがある",
    r"どれがある",
    r"いくつある",
    r"何個",
    r"まとめて",
)
KPI_WORD = _rx(r"kpi", r"指標", r"数値目標", r"目標値", r"成果指標", r"評価指標")
STATUS = (
    ("遅れ", _rx(r"遅れ", r"遅延", r"未達", r"達成できていない", r"届いていない", r"下回")),
    ("順調", _rx(r"順調", r"うまくいって")),
    ("達成", _rx(r"達成(した|済|している|できた)", r"クリア")),
)
HELP = _rx(
    r"ヘルプ",
    r"^help$",
    r"使い方",
    r"何が(聞け|きけ|でき|わか|分か)",
    r"なにが(聞け|きけ|でき|わか)",
    r"何を(聞け|きけ|質問|たずね|尋ね)",
    r"何ができ",
    r"どんな(質問|こと)(が|を)?(でき|聞け|答え)",
    r"何に答え",
    r"メニュー",
    r"あなたは(誰|だれ|何者|なにもの|何をする|なにをする)",
    r"^[?？]+$",
    r"使いかた",
)
GREETING_WORDS = re.compile(
    r"こんにちは|こんにちわ|こんばんは|こんばんわ|おはよう(ございます)?|はじめまして|初めまして|ありがとう(ございます|ございました)?"
    r"|よろしく(お願いします|おねがいします)?|どうも|お疲れ(様|さま)(です)?|おつかれ(さま)?|さようなら|バイバイ|またね"
    r"|hello|hi|hey|thanks|thank you|good morning|もしもし|やあ|ども"
)
ASKS_NOW = _rx(r"今(何|の|は|現在|いま)", r"現在の", r"現在は", r"現時点", r"いま何", r"今年の")
ASKS_WHEN = _rx(
    r"\bwhen\b",
    r"\bwhat date\b",
    r"いつ",
    r"何日",
    r"何月",
    r"日程",
    r"日時",
    r"何曜",
    r"何年(に|から|まで)",
    r"開催日",
    r"期間",
)
ASKS_WHO = _rx(
    r"\bwho (is|are|was|were)\b",
    r"(は|って)(誰|だれ|どなた)",
    r"(誰|だれ)(です|でしょう)",
    r"(長|者|人|知事|市長)の(名前|氏名)",
)
ASKS_LOCATION = _rx(
    r"どこにあ",
    r"住所",
    r"行き方",
    r"アクセス方法",
    r"交通アクセス",
    r"最寄",
    r"駐車場",
    r"の場所(は|を|って|$|[?？])",
    r"\baddress\b",
    r"\bhow (do|can) i get to\b",
    r"\bwhere is\b",
)
PROCEDURE = _rx(
    r"申請",
    r"手続き",
    r"申し込",
    r"申込",
    r"届け出",
    r"届出",
    r"予約",
    r"募集",
    r"登録方法",
    r"窓口はどこ",
    r"(認定|応募|利用|受給)(される|する)?(ため)?の?(条件|要件|資格)",
    r"\bhow (do|can) i apply\b",
)
ASKS_CONTACT = _rx(
    r"電話番号",
    r"連絡先",
    r"メールアドレス",
    r"ホームページ",
    r"\burl\b",
    r"\bphone number\b",
    r"\bemail address\b",
    r"\bwebsite\b",
)
ASKS_FEE = _rx(
    r"料金",
    r"運賃",
    r"入園料",
    r"入場料",
    r"入館料",
    r"利用料",
    r"使用料",
    r"手数料",
    r"駐車料",
    r"保育料",
    r"給食費",
    r"授業料",
    r"値段",
    r"価格",
    r"いくらかか",
    r"有料",
    r"\b(fares?|fees?|prices?|admission|tuition)\b",
    r"\bhow much (does|do|is|are|will)\b.*\b(cost|charge|pay)",
)
ASKS_HOURS = _rx(
    r"営業時間",
    r"開館時間",
    r"開園時間",
    r"診療時間",
    r"受付時間",
    r"閉館",
    r"閉園",
    r"休館",
    r"定休日",
    r"休園日",
    r"何時まで",
    r"何時から",
    r"開いて(る|い)",
    r"\bopening hours\b",
    r"\bwhat time\b.*\b(open|close)",
)
WEATHER = _rx(
    r"\bweather\b",
    r"台風情報",
    r"気象情報",
    r"警報",
    r"注意報",
    r"天気",
    r"天候",
    r"気温",
    r"降水",
    r"雨が降",
    r"晴れ(る|ます)",
    r"雪が降",
    r"暑い",
    r"寒い",
)
GARBAGE = _rx(r"ゴミ", r"ごみ", r"収集日", r"粗大")
CHITCHAT = _rx(
    r"あなた",
    r"君は",
    r"きみは",
    r"お前",
    r"何歳",
    r"好きな",
    r"趣味",
    r"面白い",
    r"おもしろい",
    r"つまらない",
    r"暇",
    r"眠い",
    r"疲れた",
    r"恋人",
    r"彼女",
    r"彼氏",
    r"歌って",
    r"ジョーク",
    r"冗談",
    r"ラーメン",
    r"おいしい",
    r"美味しい",
    r"グルメ",
    r"レストラン",
    r"居酒屋",
    r"ランチ",
    r"お店を教えて",
    r"観光スポット",
    r"おすすめの(店|お店|ランチ|レストラン)",
    r"株価",
    r"と思い?ます?か",
    r"どう思う",
    r"(どこ|何区|どの区)が(いい|良い|おすすめ)",
    r"為替",
    r"宝くじ",
    r"\b(ramen|restaurants?|sushi|cafes?|bars?|sightseeing spots?)\b",
    r"\bbest (shop|place|food)s?\b",
)

# A figure asked for, by what it is counted in: a record that states no figure of that kind cannot
# answer it (「移住支援金はいくら？」「熊本城ホールは何席？」), whatever else it says about the topic.
_COUNTERS = (
    ("円", _rx(r"いくら", r"金額", r"(上限|補助|助成|支援)額", r"(何|なん)(万|千|百|億)?円", r"費用")),
    ("割", _rx(r"(何|なん)割", r"補助率", r"助成率")),
    ("人", _rx(r"(何|なん)(万|千|百)?人")),
    ("件", _rx(r"(何|なん)件")),
    ("席", _rx(r"(何|なん)席")),
    ("回", _rx(r"(何|なん)回")),
    ("%", _rx(r"(何|なん)(%|パーセント)")),
)

_ABOUT_STRATEGY = _rx(r"戦略", r"この計画", r"総合計画")

# a kanji numeral only when no kanji follows (「基本目標一覧」 is a list, not goal 1)
_GOAL_REF = re.compile(r"基本目標\s*(?:の)?\s*([1-3]|[一二三](?![一-龥]))")
_PROJECT_REF = re.compile(r"プロジェクト\s*(?:の)?\s*(iv|iii|ii|i|[1-4]|[一二三四](?![一-龥]))(?![a-z0-9])")
_MEASURE_REF = re.compile(r"施策\s*(?:\(|の)?\s*([1-9])\s*\)?")
_MEETING_REF = re.compile(r"第\s*([0-9]{1,2})\s*回")
_ARTICLE_REF = re.compile(r"第\s*([0-9]{1,2})\s*条")
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}


def _num(s: str) -> int:
    return _NUMERALS.get(s) or int(s)


@dataclass(frozen=True)
class Intent:
    definition: bool = False
    kpi: bool = False
    policy: bool = False
    committee: bool = False
    list: bool = False
    kpi_word: bool = False
    help: bool = False
    greeting: bool = False  # the whole text is a greeting or thanks
    next_meeting: bool = False
    meeting_history: bool = False
    status: StatusWord | None = None
    asks_when: bool = False
    first_term: bool = False  # the first term's figures are wanted too
    asks_now: bool = False  # a current figure: the strategy has none but staff-entered KPI actuals
    asks_who: bool = False
    asks_location: bool = False
    asks_fee: bool = False
    procedure: bool = False
    asks_contact: bool = False  # a phone number, an address to write to, a web page
    asks_hours: bool = False
    weather: bool = False
    garbage: bool = False
    chitchat: bool = False
    years: list[int] = field(default_factory=list)
    counter: str | None = None  # the unit a figure is asked in: 円, 人, 件…
    about_strategy: bool = False  # the question is about the strategy itself (who made it, when)
    goal_ref: int | None = None
    project_ref: int | None = None
    measure_ref: int | None = None
    meeting_ref: int | None = None
    article_ref: int | None = None

    @property
    def wants_kpi_list(self) -> bool:
        return self.kpi_word and (self.list or self.status is not None or self.goal_ref is not None)


def detect(normalized: str) -> Intent:
    """The intent of a normalized question."""
    t = normalized
    greeting_rest = re.sub(r"[\s!！?？。、.,~〜ー♪☆★w笑]+", "", GREETING_WORDS.sub("", t))
    m_goal = _GOAL_REF.search(t)
    m_project = _PROJECT_REF.search(t)
    m_measure = _MEASURE_REF.search(t)
    m_meeting = _MEETING_REF.search(t)
    m_article = _ARTICLE_REF.search(t)
    status: StatusWord | None = None
    for word, rx in STATUS:
        if rx.search(t):
            status = word  # type: ignore[assignment]
            break
    committee = bool(COMMITTEE.search(t)) or m_meeting is not None or m_article is not None
    return Intent(
        # 「what is the target…」 asks for a figure, 「what is MICE」 for a definition
        definition=bool(DEFINITION.search(t)) and not (t.isascii() and KPI.search(t)),
        kpi=bool(KPI.search(t)),
        policy=bool(POLICY.search(t)),
        committee=committee,
        list=bool(LIST.search(t)),
        kpi_word=bool(KPI_WORD.search(t)),
        help=bool(HELP.search(t)),
        greeting=bool(GREETING_WORDS.search(t)) and greeting_rest == "",
        next_meeting=bool(NEXT_MEETING.search(t)),
        meeting_history=bool(MEETING_HISTORY.search(t)),
        status=status,
        asks_when=bool(ASKS_WHEN.search(t)),
        asks_now=bool(ASKS_NOW.search(t)),
        first_term=bool(FIRST_TERM.search(t)),
        asks_who=bool(ASKS_WHO.search(t)),
        asks_location=bool(ASKS_LOCATION.search(t)),
        asks_fee=bool(ASKS_FEE.search(t)),
        procedure=bool(PROCEDURE.search(t)),
        asks_contact=bool(ASKS_CONTACT.search(t)),
        asks_hours=bool(ASKS_HOURS.search(t)),
        weather=bool(WEATHER.search(t)),
        garbage=bool(GARBAGE.search(t)),
        chitchat=bool(CHITCHAT.search(t)),
        years=find_years(t),
        counter=next((unit for unit, rx in _COUNTERS if rx.search(t)), None),
        about_strategy=bool(_ABOUT_STRATEGY.search(t)),
        goal_ref=_num(m_goal.group(1)) if m_goal else None,
        project_ref=_num(m_project.group(1)) if m_project else None,
        measure_ref=int(m_measure.group(1)) if m_measure else None,
        meeting_ref=int(m_meeting.group(1)) if m_meeting else None,
        article_ref=int(m_article.group(1)) if m_article else None,
    )


_REFS = re.compile(
    r"(?:リーディング)?プロジェクト\s*(?:の)?\s*(?:iv|iii|ii|i|[1-4]|[一二三四](?![一-龥]))(?![a-z0-9])"
    r"|基本目標\s*(?:の)?\s*(?:[1-3]|[一二三](?![一-龥]))"
    r"|施策\s*(?:\(|の)?\s*[1-9]\s*\)?"
    r"|第\s*[0-9]{1,2}\s*[回条]"
)


def strip_refs(normalized: str) -> str:
    """The question without its structural references (基本目標2, プロジェクトIII, 第5回, 第6条…)."""
    return _REFS.sub(" ", normalized)
