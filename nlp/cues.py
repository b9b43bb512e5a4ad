"""The cue words of questions, as regular expressions over normalized (NFKC, case-folded) text.

Each table says one thing about a question: that it asks for a definition, a figure, a policy,
committee facts; that it asks for something the strategy never holds (fees, hours, places,
procedures, contact details); the structural references it carries (基本目標2, 第5回…).
``nlp.intent.detect`` reads them all into one ``Intent``.
"""

from __future__ import annotations

import re


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts))


DEFINITION = _rx(
    r"(?<!こ)とは",  # not 「保育士さんのことは何かするの」
    # 「MICEって何？」, not 「企業誘致って何件？」 (a count)
    r"って(そもそも|一体|いったい|結局|要するに)?(何|なに|なん)(?!\s*(件|人|割|倍|回|個|年|歳|位|%|パーセント|万|千|百|億|円|にん|けん|ばい|わり|かい|こ))",
    r"ってどういう",
    r"って[^?？。]{0,12}(結局|要するに|つまり|そもそも)[、,]?どういう",  # 「…って結局どういうこと？」
    # 「…ってようわからんけど、どげんこと？」 (熊本弁)
    r"(けど|けれど)[、,]?(どげん|どがん|どんな|どういう)(こと|意味)",
    r"って[?？]?$",
    # 「KPIってよく出てくるけど何？」
    r"って[^?？。]{1,14}(けど|けれど|が)(何|なに|なん)(です|でしょう)?か?[?？]*$",
    r"の意味",
    r"意味(は|を|が)",
    r"どういう意味",
    r"定義",
    r"(何|なん|誰|だれ)のこと",
    r"どんな[^?？。、]{1,6}のこと",  # 「クリエイティブ産業って具体的にどんな業種のこと？」
    r"(には|に|って)どんな[^?？。、]{1,6}が(入る|含まれ)",  # 「クリエイティブ産業にはどんな業種が入るの？」
    r"(には|って)どんな[^?？。、]{1,6}を(含む|含め)",  # 「クリエイティブ産業ってどんな業種を含むの」
    r"何を(指す|意味)",
    # 「低コスト耐候性ハウスはどんなハウス？」「DMOってどんな組織ですか」: what kind of thing it is (not
    # 「取組はどんな内容？」, what is done)
    r"(は|って)(どんな|どういう)(?!(内容|取組|取り組み|支援|施策|事業|こと|計画|目標|人|ふう|風))"
    r"[^?？。、をがにで]{1,6}(です|でしょう|なの|なん)?(か|の|ね)?[?？]*$",
    # 「スクールソーシャルワーカーってどんな人？」: what the job is (a term's definition)
    r"(ワーカー|カウンセラー|コーディネーター|アドバイザー|マネージャー|士|員|師)って(どんな|どういう)(人|職|仕事|役割)",
    # 「JターンってUターンと何が違うの？」: two terms' meanings
    r"って[^?？。]{1,12}と(は)?(何が|なにが|どう|どこが)?(違う|ちがう|違い|ちがい)",
    r"は(何|なに|なん)(です|でしょう|ですか)?[?？]*$",
    r"(何|なん|なに)の(略|こと)",
    r"の略",
    r"略語",  # 「KPIって略語、どう説明されてますか」
    r"(どう|どのように)説明",
    # 「UターンとIターン、どう違うんですか」: two named terms' meanings
    r"[ァ-ヺa-z]と[^?？。、]{1,12}[、,]?\s*(どう|何が|なにが|どこが)(違|ちが)",
    r"ってなん(です|でしょう)?",
    r"どんな(もの|意味|こと)を(言|い)う",
    r"って(どんな|どげんな|どがんな)(もん|もの)(です|だ|な|か|[?？]|$)",  # 「…ってどんなもんですか」
    # 「耐候性ハウスってどんなハウス？」: the name's head asked back
    r"(?P<head>.{1,4})って(どんな|どういう)(?P=head)(です|なの|なん)?か?[?？]*$",
    r"って(どんな|どういう)[^?？。、]{1,4}を(言|い)う",  # 「クリエイティブ産業ってどんな業種を言うと？」
    r"って(言う|いう)(の|ん)",  # 「こういうのって何ターンって言うの？」
    r"(何|なん)て(言う|いう)",
    r"何(と|て)呼",
    r"\bwhat('s| is| are| does)\b",
    r"\bwhats\b",
    r"\b(is|are) what\b",  # 「DMO is what?」
    r"\bmeans? what\b",  # 「KPI means what?」
    r"\babbreviat",  # 「KPI is abbreviation of what?」
    r"\bshort for\b",
    r"\bstands? for\b",  # 「KPI stands for?」
    r"\bmeaning of\b",
    r"\b(meaning|mean|means)\s*[?？]*$",
    r"[ァ-ヺa-z]て(なん|何|なに)(ね|な|や|\s*[?？]|$)",  # 「Jターンてなんね？」
)
KPI = _rx(
    r"(?<!基本)目標",
    r"どんな(感じ|具合|状況)",  # 「求人倍率って今どんな感じ？」: how a figure stands
    r"まだ(いる|おる|ある|残って)",  # 「待機児童はまだいるんでしょうか」
    r"基準値",
    r"実績",
    r"達成",
    r"ど(れ|の)[くぐ]らい",
    r"何(人|件|倍|割|位|パーセント|%)(?!か(?!な|ね|[?？。]|$)|も)",
    r"なん(にん|けん|ばい|わり|ぱーせんと)",
    r"いくつ",
    r"数値",
    r"数字(を|が|は)?(教え|知りたい|見せ|ある|出)",  # 「平成29年の数字を教えて」
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
    r"どうなって(る|いる|います|ますか)",  # 「出生数はどうなってる？」: how a figure stands
    r"割合",
    r"比率",
    r"[一-龥]率(は|って)?[?？]*$",  # 「就職率は？」 (not 「求人倍率が高い業種」)
    r"(人|件)数(は|って|を|が|$)",
    r"\btargets?\b",
    r"(?<!basic )\bgoals?\b(?! \d)",
    r"\bwhat (%|percent|percentage|share|proportion)\b",
    r"\bpercent(age)?\b",
    r"\b(rate|ratio)\b",
    r"\bbaseline\b",
    r"\bhow (many|much)\b",
    r"\bnumber of\b",
    r"(?<!phone )\b(numbers|figures|statistics|stats)\b",  # 「numbers for 2016 and 2017 please」
    r"\b(actual|latest) (figure|value|result)s?\b",
)
POLICY = _rx(
    r"取組",
    r"施策",
    r"何を(して|する|やって)",
    r"なにを(して|する|やって)",
    r"何して",
    r"(何|なに)か(する|して|やる|やって|考え)",  # 「保育士さんのことは何かするの？」
    r"どう(進め|すすめ|推進)",  # 「市はそれをどう進めるの？」
    r"(何|なに|なん)を?し(ます|まし|よ|と[るっ]|ょう)",
    r"(何|なに|なん)を?する(の|ん|と|つもり|予定|[?？]|$)",  # 「市は何をしますか」「何しよる？」 (熊本弁)
    r"(何|なに|なん)を?やる(の|ん|と|つもり|予定|[?？]|$)",  # 「市は具体的に何やるの」
    r"(何|なに|なん)を?やっ(て|と)(る|い|ます)",  # 「市は何やってる？」
    r"支援",
    r"対策",
    r"事業",
    r"どんな(?!(感じ|具合|状況))",
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
    r"(どう|どのように|どんなふうに)(関わ|かかわ|関与|絡|携わ)",  # 「市はそれにどう関わるの」
    r"どうやって(減ら|増や|解消|防|守|進め|支え|取り組)",  # 「どうやって減らすつもり？」
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
    # 「最後の検証委員会っていつ？」: the last one held, which the next-meeting reply gives too
    r"(最後|最新|一番最近|いちばん最近|最近)の(検証)?(会議|委員会)",
    r"\b(last|latest|most recent) (committee )?meeting\b",
    r"開催予定",
    r"(会議|委員会)の(予定|日程)",
    r"(会議|委員会)はいつ(ある|あり|開)",
    r"(会議|委員会)(は|って)(いつ|何時)",
    r"\bnext (committee )?meeting\b",
    r"\bupcoming meeting\b",
)
# the first term named outright (not only a figure's change over time)
_FIRST_TERM_NAMED = (
    r"第\s*1\s*期",
    r"前期",
    r"前の(戦略|計画|総合戦略|期間|期)",
    r"[1一１]期目",
    r"検証資料",  # the first term's review papers
    r"最初の(戦略|計画|総合戦略)",
    r"\b(first|1st)[ -](term|strategy|period|plan)\b",  # 「the first-term table」
    r"\b(previous|earlier|old) (strategy|plan)\b",
)
FIRST_TERM_NAMED = _rx(*_FIRST_TERM_NAMED)
FIRST_TERM = _rx(
    *_FIRST_TERM_NAMED,
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
    r"\blist\b",
    r"\ball (of )?(the |your |its )?(kpis|indicators|targets)",
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
_ABOUT_STRATEGY = _rx(
    r"戦略",
    r"この計画",
    r"(最初|前|1期目|第1期)の計画",  # 「最初の計画はいつごろ作ったと？」: the strategy's first term
    r"総合計画",
    r"\bstrateg",
    r"\b(this|the)( [a-z]+){0,3} plan\b",
    r"\brevitali[sz]ation plan\b",
    r"\bsenryaku\b",  # 「sogo senryaku」 in romaji
)

# a number the strategy has no such part for: 基本目標4, プロジェクト5 (it has goals 1-3, projects I-IV)
NO_SUCH_REF = re.compile(
    r"基本目標\s*(?:の)?\s*(?:[4-9]|[四五六七八九](?![一-龥]))(?![0-9])|basic goal\s*[4-9]\b"
    r"|(?:リーディング)?プロジェクト\s*(?:の)?\s*(?:[5-9]|v|vi|[五六七八九](?![一-龥]))(?![a-z0-9])"
)
# a kanji numeral only when no kanji follows (「基本目標一覧」 is a list, not goal 1); BG3 as staff write it
_GOAL_REF = re.compile(
    r"(?:基本目標|\bbg)\s*(?:の)?\s*([1-3]|[一二三](?![一-龥]))"
    # 「戦略の1つ目の大きな目標」「2つ目の目標は子育ての話」: a goal counted, not a KPI's 目標値
    r"|([1-3])\s*(?:つ目|番目)の(?:基本目標|(?:大きな|大きい)?目標(?!値))"
)
_PROJECT_REF = re.compile(
    r"プロジェクト\s*(?:の)?\s*(iv|iii|ii|i|[1-4]|[一二三四](?![一-龥]))(?![a-z0-9]|つ(?!目))"
    r"|([1-4])\s*(?:つ目|番目)の(?:リーディング)?プロジェクト"
)
_MEASURE_REF = re.compile(
    r"施策\s*(?:の|[をは](?=\s*\())?\s*\(?\s*([1-9])\s*\)?(?:\s*(?:つ目|番目))?|([1-9])\s*(?:つ目|番目)の施策"
)
_MEETING_REF = re.compile(
    r"第\s*([0-9]{1,2})\s*回|\bmeeting (?:no\.?|number|#)\s*([0-9]{1,2})"
    r"|\b([0-9]{1,2})(?:st|nd|rd|th) (?:committee |verification committee |kensh?ou? iinkai )?meeting"
    r"|\b(first|second|third|fourth|fifth) (?:committee |verification committee )?meeting"
)
_ARTICLE_REF = re.compile(r"第\s*([0-9]{1,2})\s*条")
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}


def _num(s: str) -> int:
    return _NUMERALS.get(s) or int(s)


# 「What is the target for births?」 asks for a figure, 「What does KPI stand for?」 for a definition
ENGLISH_FIGURE = _rx(
    r"\btargets?\b",
    r"\bbaseline\b",
    r"\bhow (many|much)\b",
    r"\bnumber of\b",
    r"\bwhat (%|share|percent(age)?|proportion|ratio|rate)\b",  # 「what % of uni grads stay…」
)

# Questions about the strategy itself, by what is asked of it: the overview section that says it.
STRATEGY_ASPECTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 「もとになった国の法律はいつからある？」「最初の計画はいつ作った？」: when the law came into force,
    # when the first strategy was made (策定の経緯), not the plan period
    (
        "overview-1",
        _rx(
            r"法律?は?[^。?？]{0,6}いつ",
            r"最初の(計画|戦略|総合戦略)[^。?？]{0,8}(いつ|作|策定|でき)",
            r"\bwhen (was|were|did)\b.*\brevis",  # 「when was it revised?」: the 2017 revision
        ),
    ),
    (
        "overview-7",
        _rx(
            r"期間",
            r"いつから",
            r"いつまで",
            r"何年間",
            r"\bhow many years\b",
            r"\bfrom when (to|till|until) when\b",
            r"いつ終わ",
            r"\bperiod\b",
            r"\bhow long\b",
            r"\bwhat years\b",
            r"\b(from )?(what|which) year to (what|which) year\b",
            r"\bwhich years\b",
            r"\bwhen does\b.*\b(end|start|begin|run)",
        ),
    ),
    # 「そもそも何のために作られたの？」: what it is for (人口減少克服・地方創生), not how it came about
    ("overview-2", _rx(r"(何|なん|なに)のため", r"\bwhat (is it|was it|is this|was this) for\b")),
    (
        "overview-1",
        _rx(
            r"なぜ",
            r"なんで",
            r"どうして",
            r"理由",
            r"きっかけ",
            r"経緯",
            r"法律",
            r"根拠",
            r"基づ",
            r"(作|策定|でき)(った|られた|たの)",
            r"\bwhy\b",
            r"\bwhen (was|were|did)\b.*\b(make|made|write|written|adopt(ed)?|formulated?|created?)\b",
            r"\bwhen (was|were|did)\b.*\bdr[ae]wn? up\b",
            r"\blaw\b",
        ),
    ),
    (
        "overview-2",
        _rx(
            r"位置づけ",
            r"位置付け",
            r"総合計画",
            r"目的",
            r"ねらい",
            r"狙い",
            r"\bposition\b",
            r"\bpurpose\b",
            r"\baims?\b",
            r"\bobjectives?\b",
        ),
    ),
    ("overview-8", _rx(r"構成", r"目次", r"\bstructure\b")),
    (
        "promotion-1",
        _rx(r"推進体制", r"検証体制", r"(誰|どこ)が(進め|推進|検証)", r"\bwho (runs|manages|checks)\b"),
    ),
)
NOT_THIS_STRATEGY = _rx(r"次の", r"次期", r"第\s*3\s*期", r"今後の(戦略|計画)", r"\bnext\b")

# every goal or every project asked for at once (「基本目標いくつあると？」「リーディングプロジェクト4つの
# 名前」「What are the four leading projects?」): the list, not one of them
ALL_GOALS = _rx(
    r"基本目標(は|って|の|を)?(全部|すべて|一覧|いくつ|何個|なんこ|何が|なにが|どんなの|それぞれ)",
    r"(3|三)つの基本目標",
    r"基本目標(は|って)?(3|三)つ",
    r"\b(three|3|all) (basic |main |big )?goals\b|\bbasic goals\b|\bwhat are the (main |big )?goals\b",
    r"\bhow many (basic|main|big) goals\b",
)
# 「プロジェクトを1つずつ教えて」「基本目標1の施策を(1)から順に」: the first of them, then 「次」
ONE_BY_ONE = _rx(r"(1|一|ひと)つずつ", r"(1|一)個ずつ", r"(から)?順(番)?に", r"最初から")

ALL_PROJECTS = _rx(
    r"プロジェクト(の方|のほう)?(は|って|の|を)?[?？、,\s]*(全部|すべて|一覧|いくつ|何個|なんこ|何が|なにが|どんなの|それぞれ|名前)",
    r"^(リーディング)?プロジェクト(の方|のほう)?(は|って)?[?？]*$",  # 「プロジェクトの方は？」
    r"(4|四)つの(リーディング)?プロジェクト",
    r"プロジェクト(は|って|の)?(4|四)つ",
    r"\b(four|4|all) (leading )?projects\b",
    r"\bwhat are the (leading )?projects\b|\blist (of )?(the )?(leading )?projects\b",
    r"\bhow many (leading )?projects\b",
)
