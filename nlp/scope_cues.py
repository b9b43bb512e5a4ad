"""Cues of what the strategy never holds: asked for, they decline a question before any record
is ranked (weather, fees, opening hours, places, procedures, contact details, chit-chat) or after
(a current figure, a date, a person, a figure counted in a unit the record never states).
"""

from __future__ import annotations

from nlp.cues import _rx

ASKS_NOW = _rx(
    r"今(何|の|は|現在|いま|どう)",
    r"現在の",
    r"現在は",
    r"現時点",
    r"いま(何|どう)",
    r"今年の",
    r"最新",
    r"最近の",
    r"\b(now|current|currently|latest)\b",
)

# a period that is now (「今月の有効求人倍率は？」「今年の待機児童数は？」): the data ends with the plan's
# term, so no figure of it is held (「今どうなってる？」 gets the newest figures, with that said)
CURRENT_PERIOD = _rx(
    r"今年(?!度?(末|まで))(?![0-9])",  # not 「今年75になります」
    r"今月",
    r"今週",
    r"今日(?!は)",
    r"本日(?!は)",
    r"本年(度)?の",
    r"\bthis (year|month|week)('s)?\b",
    r"\btoday'?s?\b",
)

# a figure of last year or month (「去年の出生数は？」): newer than the data, unless staff entered it
LAST_PERIOD = _rx(
    r"去年",
    r"昨年",
    r"先月",
    r"先週",
    r"昨日",
    r"\blast (year|month|week)('s)?\b",
    r"\byesterday'?s?\b",
)

# what members said at a meeting (「第4回でどんな意見が出た？」): the strategy records each meeting's
# date, place and agenda, not its minutes
REMARKS = _rx(
    r"(どんな|どういう|どういった|何の|なんの)(意見|発言|話|議論|コメント|指摘)",
    r"(意見|発言|指摘)(が|は)?(出た|出され|出まし|あった|ありまし|言われ|述べ)",
    r"\bwhat did\b[^?]{0,40}\b(say|said|comment|argue)",
    r"\b(opinions?|remarks?|comments?)\b[^?]{0,20}\b(made|given|raised|said|expressed)\b",
)

# how many attended a meeting (「その会議には何人出席したと？」): not recorded (but 「何人出席すれば
# 開ける？」 is the quorum rule)
ATTENDANCE = _rx(
    r"(何|なん)(人|名)(が|くらい|ぐらい)?(出席|参加)(した(?!ら)|しました|して(た|いた)|され(た|ま))",
    r"(出席|参加)(した|された|してた)(人|者|委員)(は|って|の数)?",
    r"出席者(数|は|って|の数)",
    r"\bhow many (people |members )?(attended|were present|came)\b",
)

# the budget (「この戦略の予算は総額いくら？」): the strategy states no budget
BUDGET = _rx(
    r"予算(は|って|の)?[^。?？]{0,6}?(総額|全体|いくら|どれ|どの|何円|額|規模)",  # 「予算は全部でいくら」
    r"(総事業費|事業費)(は|って)?",
    r"(いくら|何円|どれくらい)[^。?？]{0,10}税金",
    r"\bbudget\b",
    r"\bhow much (money )?(will|does|did|is) (the city|kumamoto|it|they) (spend|spending|invest)",
)

# what a scheme gives (「健康ポイントで何がもらえる？」「ポイントは何に交換できる？」): not printed
REWARD = _rx(
    r"(ポイント|特典)[^。?？]{0,12}(何|なに)\s*(が|に|と)\s*(もらえ|貰え|交換|換え|使え|かえ)",
    r"\bwhat (can|do) (i|you|we) (get|exchange|redeem)\b",
)

# when a restoration or building will be finished (「熊本城が全部元通りになるのは何年？」): no date given
COMPLETION = _rx(
    r"(元通り|完全(に)?(復旧|復元|修復)|全部(直|なお|戻)|完成|完了|終わ)[^。?？]{0,10}(いつ|何年|なんねん)",
    r"(いつ|何年)(ごろ|頃)?(に)?(は)?(元通り|完成|完了|全部(直|戻))",
    r"\bwhen will\b[^?]{0,40}\b(finished|completed|restored|rebuilt|done)\b",
)

# why a figure went as it did (「目標に届かなかった理由は？」「なんで増えたと？」): the first term's review
REASON = _rx(
    r"理由",
    r"原因",
    r"要因",
    r"背景",
    r"なぜ",
    r"(?<![一-龥ァ-ヴー])なんで(?!す|しょ|した)",  # not 「いくつなんですか」, nor 「古い家なんで」 (because)
    r"何で(増|減|達|届|下|上|伸|落)",
    r"どうして(?!(い|る|ます|くれ))",
    r"(課題|反省)(は|って|を|が|として|も)",
    r"\bwhy\b",
    r"\breasons?\b",
)

# whether a target was reached (「第1期のときは目標達成できたんですか」): the review says, for the first term
ACHIEVED = _rx(
    r"達成(でき|し|され)(た|て(る|い))",
    r"(目標|計画)(に|は|まで)?(届|とど)いた",
    r"(目標|計画)(を|は)?クリア",
    r"目標(に|は|まで)?(いけ|行け|届け|とどけ)(た|まし)",  # 「前の計画では目標いけたの？」
    r"\b(achieve|reach|meet|hit)(d|ed)? (the|its) (target|goal)",
    r"\b(target|goal) (was|were) (achieved|reached|met)\b",
)

ASKS_WHEN = _rx(
    # 「When is…?」, not 「When our kid gets sick we cannot take leave.」 (a clause of the story)
    r"\bwhen (is|was|will|does|did|do|are|were|can|should|has|have)\b",
    r"\bwhen\s*[?？]",
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

# when something was set up (「検証委員会はいつできたの」): a date the text prints beside the founding
FOUNDED = _rx(
    r"いつ(頃|ごろ|から)?(でき|出来|作ら|作っ|つくら|つくっ|設置|置か|発足|始ま|はじま|開設|設立|新設|選ば|結ん|締結|改正|定め)",
    r"(でき|作られ|作っ|設置され|置かれ|発足し|始まっ|開設され|設立され|改正され)たの?は(いつ|何年)",
    r"(改正|制定|設置|策定)(は|って|されたのは)(いつ|何年)",
    r"何年(度)?に(でき|作ら|設置|発足|始ま|開設|設立|新設)",
    r"いつから(ある|あっ|やっ|おる|いる)",  # 「サポートデスクっていつからあると？」
    r"いつ[、,][^?？。]{0,10}(設置|設立|発足)(され|し)た",  # 「いつ、何のために設置された？」
    r"\bwhen (was|were|did)\b.*\b(set up|established|founded|created|started|launched|formed|signed)\b",
    r"\bwhen (was|were|did)\b.*\b(make|made|drawn up|adopt(ed)?|formulated)\b",
    r"\bsince when\b",  # 「since when does it exist?」
)

# 「What is the name of the committee chair?」: a person asked for, not a definition
_NAME_OF = r"\bname of (the |its )?([a-z]+ )?(chair|head|president|mayor|governor|leader)"
_JA_NAME_OF = r"(長|知事|市長|市議|議員|担当者)(さん|様)?の(お)?(名前|氏名)"  # 「いまの熊本市長の名前は？」
ASKS_NAME_OF = _rx(_NAME_OF, _JA_NAME_OF)

ASKS_WHO = _rx(
    # 「Who is the chair?」, not a relative clause (「people who are not certified as needing care」)
    r"(^|[.?!,;:]\s*|\b(and|but|so|me|know)\s+)who (is|are|was|were)\b",
    r"(^|[.?!]\s*)who\s*\?",  # 「…on the committee? Who?」
    # 「委員長は誰？」, not 「誰が決める？」「誰でも」 nor 「支援は誰と組んで」 (partners, not a person)
    r"(は|って)(今|いま|現在)?(誰|だれ|どなた)(?!が|に|を|から|でも|も|と)",
    # 「委員長はだれがしよると？」「委員長ってだれがなっとると？」
    r"(誰|だれ|どなた)が(して|しとる|やって|務め|つとめ|なって|なっとる|就いて|なった|なり|選ばれ|就任)",
    r"(誰|だれ|どなた)が(入って|入っとる|入っている|おる|いる|来て)",  # 「熊本大学からは誰が入っとる？」
    r"(誰|だれ)(です|でしょう)",
    r"(者|人|職員)(さん|様)?の(お)?(名前|氏名)",
    _JA_NAME_OF,
    _NAME_OF,
)

# the bot's own opinion or verdict (「正直、うまくいったと思う？あんたの意見ば聞かせて」), not the
# city's view that the strategy states (「市は原因をどう見てますか」)
OPINION = _rx(
    r"(あなた|あんた|君|きみ|お前|おまえ|ボット|bot)(の|は|って|が|的に|として)[^?？。]{0,12}(意見|考え|思う|思い|感想|評価|見解)",
    r"正直[、,\s]*[^?？。]{0,30}(と思う|と思います|とおもう|どう思)",
    r"\b(your|you) (opinion|honest)|\bdo you (think|feel|believe)\b|\bin your view\b",
)
# who holds a post (the committee's chair, the mayor when the strategy was made): never printed
ASKS_CHAIR = _rx(
    r"委員長",
    r"\bchair(man|woman|person)?\b",
    r"\biincho\b",
    r"(市長|知事|会長|議長|市議|議員|大臣|首相|総理|社長|課長|部長|局長|担当者)(さん|様)?(は|って|の(お)?名前|の氏名)",
    r"\b(the )?(mayor|governor|minister)\b",
)

# 「…相談できますか？場所はどこ？」: where a place is, asked on its own (a term asked 「何のこと？場所は
# どこ？」 is defined, and its definition may say where it is)
PLACE_ASKED = _rx(r"(^|[。？?！!、,\s])場所(は|って)(どこ|どちら)")
ASKS_LOCATION = _rx(
    r"どこにあ",
    r"空き(が|の)(ある|あり|出)[^。?？]{0,12}(どこ|どれ|教え)",  # 「空きがある保育園はどこ？」: a vacancy
    r"どこ(の窓口)?で(もらえ|貰え|手に入|入手)",  # 「この戦略の冊子はどこの窓口でもらえますか」
    r"どこで[^。?？]{0,8}(交換|使え|使う|受け取|登録)",  # 「健康ポイントはどこで交換できると？」
    r"(近い|最寄りの?)[^。?？、]{0,8}(は|って)?どこ",  # 「うちから一番近い避難所はどこ？」
    r"住所",
    r"行き方",
    r"アクセス方法",
    r"交通アクセス",
    r"最寄",
    r"駐車場",
    r"の場所(は|を|って|$|[?？])",
    r"の?\s*ばしょ\s*(は|を|と|って|$|[?？])",
    r"\baddress\b",
    r"\bhow (do|can) i get to\b",
    r"\bwhere is\b",
)

# where a product or a ticket is sold: the strategy names no shops (though it does name the farm
# markets where local produce is sold, so produce is not among these)
ASKS_SHOP = _rx(
    r"(製品|商品|グッズ|チケット|土産|切符)[^。？?]{0,12}(どこで|どこに)(買|売|購入|手に入|取り扱|扱っ|あ)",
    r"(製品|商品|グッズ|チケット|土産|切符)[^。？?]{0,12}(買える|売って(る|い)|売られて)(店|お店|ところ|場所)",
    r"\bwhere (can|do|could) i (buy|purchase|get) (the |these |those |its |a )?"
    r"(products?|goods|tickets?|souvenirs?)\b",
)

# which companies (「どこの企業の本社が来ると？」): the strategy names no firm it attracts or supports
ASKS_COMPANY = _rx(
    r"(どこの|どの|何という|なんていう)(企業|会社|メーカー)[^。？?]{0,10}(が|は|を)?[^。？?]{0,6}"
    r"(来|進出|立地|移転|誘致|くる|入る|入っ|選ばれ)",
    r"(企業|会社)(名|の名前)(は|を|って)",
    r"\bwhich (companies|company|firms?)\b",
    r"\b(names?|list) of (the )?(companies|firms)\b",
)

# every municipality or district by name (「その18市町村の名前を全部並べて」): the strategy counts them only
PLACE_NAMES = _rx(
    r"(市町村|自治体|町村|地区|校区|地域)(の)?(名前|名称|名)(を|ば|は|って)?[^。？?]{0,4}(全部|すべて|全て|ぜんぶ|一覧|並べ|リスト)",
    r"(全部|すべて|全て|ぜんぶ)の(市町村|自治体|町村)(の)?(名前|名称|名)",
    r"\b(names|list) of (all )?the [0-9]* ?(municipalities|towns|cities|villages|districts)\b",
)

# the COVID-19 pandemic: the strategy was written before it and never mentions it
COVID = _rx(r"コロナ", r"\bcovid", r"\bcorona", r"パンデミック", r"\bpandemic\b")

# which countries (「国際便はどこの国に飛んでる？」「どの国の観光客が多い？」): the strategy names none
ASKS_COUNTRY = _rx(
    r"(どこの|どの|なんの|何の)(国|国々)(?!際|内|土|道|民|立|有|の(制度|法律|事業|交付金|補助))",
    r"(何|なん)(か|カ|ヶ|ケ)国(?!語)",
    r"\b(which|what) countr(y|ies)\b",
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
    r"どうやって(登録|申し込|応募|利用|使|参加|貯め|ため|交換|買|予約)",
    r"(何|なに)と交換",
    r"(どうやったら|どうすれば|どうしたら)(貯ま|たま|もらえ|貰え|使え|申し込|登録|入れ|受けられ)",
    r"(何|なに)が(もらえ|貰え)",  # 「何ポイント貯めたら何がもらえる？」: the benefits are not printed
    r"(登録|申し込み|応募)(の仕方|するには|方法)",
    r"(どげん|どがん|どぎゃん|どう)(して|やって)(登録|申し込|応募|参加)",  # 「どげんして登録すると？」
    r"アプリの名前",
    r"窓口はどこ",
    r"(認定|応募|利用|受給)(される|する)?(ため)?の?(条件|要件|資格)",
    r"\bhow (do|can) i (apply|renew|register|sign up|extend)\b",
    r"\b(where|how) (can|do|could) (i|we) (book|reserve|rent)\b",  # a venue, a room, a hall
    r"(入る|入れる|加入する|加盟する|入会する)には",  # 「うちの会社がそのプラットフォームに入るには」
    r"(加入|加盟|入会)(の仕方|方法|手続)",
    r"\bhow (do|can) (i|we|my company|our company) (join|become a member)\b",
    r"\bvisa\b",
    r"ビザ|在留(資格|カード|期間)",  # immigration procedures: the strategy has none
)

ASKS_CONTACT = _rx(
    r"電話番号",
    r"でんわ\s*(ばんごう|番号)",
    r"連絡先",
    r"メールアドレス",
    r"(メール|郵送|ファックス|fax)で(送|おく)って",  # 「議事録をメールで送ってもらえますか」
    r"(サイト|ページ)の?(アドレス|url)",
    r"アドレス(を|は|って)?(教えて|知りたい|わかる|どこ)",
    r"ホームページ",
    r"(?<![a-z])url(?![a-z])",
    r"アカウント(名|めい|は|を)",  # 「公式SNSのアカウント名を教えて」
    r"\baccount name\b",
    r"\bphone number\b",
    r"\bemail address\b",
    r"\b(what is|what's|give me|where is|where can i find) (the|your|its) (web ?site|url|homepage)\b",
    r"\b(web ?site|homepage) (address|url)\b",
)

# a request to look into the asker's own case (「うちの家が指定されとるか調べてもらえんね」)
LOOKUP = _rx(
    r"(調べて|確認して|見て|調査して)(もら|ください|くだ|くれ|ほし|ちょうだい|いただ)",
    r"\b(can|could|would) you (check|look up|look into|find out)\b",
)
OWN_CASE = _rx(r"うちの|私の|わたしの|僕の|俺の|自分の|\bmy\b|\bour\b")
# how often something is held: the strategy lists the meetings, never a frequency
FREQUENCY = _rx(
    r"年に?(何|なん)回", r"毎年(何|なん)回", r"頻度", r"\bhow often\b", r"\bhow many times a year\b"
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
    # 「相談するとお金はかかると？」, not 「結婚にお金がかかるので支援は？」 (the asker's story)
    r"(お金|費用)(は|って)(かか|掛か|要る|いる|必要)",
    r"(お金|費用)(が)?(かか|掛か)(り|る)(ます)?(か|の|と)?[?？]",
    r"有料",
    r"\b(fares?|fees?|prices?|admission|tuition)\b",
    r"\bhow much (does|do|is|are|will)\b.*\b(cost|charge|pay)",
)

ASKS_HOURS = _rx(
    r"営業時間",
    r"開館時間",
    r"開園時間",
    r"診療時間",
    r"(受付|うけつけ)\s*(時間|じかん)",
    r"(えいぎょう|かいかん)\s*じかん",
    r"(なんじ|なん時)\s*(まで|から)",
    r"閉館",
    r"閉園",
    r"休館",
    r"定休日",
    r"休園日",
    r"何時まで",
    r"何時から",
    r"開いて(いる|る|います|ます)(?!(?!時間)[一-龥ァ-ヶ])",
    r"(あいて|空いて)(いる|る|います|ます)(?!(?!時間)[一-龥ァ-ヶ])",  # not 「空いてる店舗」
    r"土日(も|は)?(開|あい|やって)",
    r"\bopening hours\b",
    r"\bwhat time\b.*\b(open|close)",
)

WEATHER = _rx(
    r"\bweather\b(?![- ]?(resist|proof))",
    r"\b(will it|is it going to|is it gonna|gonna) (rain|snow)\b",
    r"\b(rain|snow)(ing)? (tomorrow|tmrw|tmr|today|tonight)\b",
    r"\b(rain|snow|sunny|forecast|typhoon warning)s? (tomorrow|today|this week)\b",
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

ADVICE = _rx(  # personal, medical or legal advice: the strategy gives none
    r"(行く|する|した方が|やる|受ける|休む)べき(です|でしょう)?か",
    r"すべき(か|です|でしょう)",
    # 「息子に帰ってこいって言った方がよかですかね？」 (よか: 熊本弁)
    r"(した|やった|する|言った|いった|言う)(方|ほう)が(いい|良い|よい|よか)(と思|です|でしょう|か)",
    r"べきか(迷|悩)",
    r"(病院|医者)に(行|かか)(った|る)?(方が|ほうが)",
    r"どう(すれば|したら|やったら)(いい|良い|よい|よか)(です|でしょう|と)?か",  # 「どうしたらよかですか」
    r"どう(したら|すれば)(いい|良い|よい)と思",  # 「戻ろうか迷ってます。どうしたらいいと思う？」
    r"(どっち|どちら)が(いい|良い|よい)(と思|です|でしょう|か)",  # 「辞めて農業始めるか、どっちがいい？」
    # 「保育園か幼稚園か…どっちがおすすめ？」「どこの会社がおすすめ？」
    r"(どっち|どちら|どれ|どこ)(の[^?？。、]{1,6})?が(おすすめ|オススメ|お勧め|お薦め)",
    r"(しよう|やろう|始めよう|辞めよう)か(迷|悩)",
    r"相談(したい|させて|に乗って)(です|んです|のですが|んですけど)?[。！!？?\s]*$",  # 「…か相談したい」
    # 「4月から保育園に入れるでしょうか」: whether one's own child gets a place is not printed
    r"(保育園|保育所|幼稚園|園)に(入れる|入れそう|入れます|はいれる)(でしょうか|ですか|か|かな|そう)?[?？。]*$",
    r"\bshould i\b",
    r"\b(do|would|can) you recommend\b",
    r"\brecommend (me|for me)\b",
)

# 「東区で評判のいい事業所を教えて」: which provider is good is no part of the strategy
REPUTATION = _rx(
    r"評判(の|が)?(いい|良い|よい|よか|高い)",
    r"(いい|良い|よい)(と)?評判",
    r"口コミ",
    r"\b(good|best) reviews?\b|\breputation\b",
)

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
    r"どう思い(ます|ません)",
    r"(どこ|何区|どの区)が(いい|良い|おすすめ)",
    r"為替",
    r"宝くじ",
    r"\b(best|good|nice|recommend\w*|where)\b.*"
    r"\b(ramen|restaurants?|sushi|cafes?|bars?|sightseeing spots?)\b",
    r"\bbest (shop|place|food)s?\b",
)

# A figure asked for, by what it is counted in: a record that states no figure of that kind cannot
# answer it (「移住支援金はいくら？」「熊本城ホールは何席？」), whatever else it says about the topic.
_COUNTERS = (
    (
        "円",
        _rx(
            r"\bhow much (money|is|are|do|does|will|can)\b",
            r"\bper month\b",
            r"\bhow many (yen|dollars)\b",
            r"\b(max(imum)?|subsidy|grant) amount\b",
            r"いくら",
            r"金額",
            r"(上限|補助|助成|支援)額",
            r"(何|なん)(万|千|百|億)?円",
            r"費用",
        ),
    ),
    ("割", _rx(r"(何|なん)割", r"補助率", r"助成率")),
    # (not 「何人か雇っとります」「何件も」: some, many)
    (
        "人",
        _rx(
            r"(何|なん)(万|千|百)?人(?!か(?!な|ね|[?？。]|$)|も)",
            r"なん(まん|ぜん)?にん(?!か(?!な|ね|[?？。]|$)|も)",
        ),
    ),
    ("件", _rx(r"(何|なん)件(?!か(?!な|ね|[?？。]|$)|も)", r"なんけん")),
    ("席", _rx(r"(何|なん)席", r"(座席|客席)数")),
    ("か月", _rx(r"(何|なん)(か|カ|ヶ|ケ|ヵ)月")),
    ("回", _rx(r"(何|なん)回")),
    ("%", _rx(r"(何|なん)(%|パーセント)")),
    (
        "市町村",
        _rx(
            r"(何|なん|いくつ(の)?)市町村",
            r"\bhow many ([a-z]+ ){0,2}(towns|cities|villages|municipal[a-z]*|local governments)\b",
            r"\bhow many shi?chou?son\b",  # in romaji
            r"\b(towns|cities|municipal[a-z]*) (are|is) (there )?in\b",
        ),
    ),
    ("か所", _rx(r"(何|なん)(か|カ|ヶ|箇)所")),
    ("校", _rx(r"(何|なん)校")),
    ("社", _rx(r"(何|なん)社")),
    ("団体", _rx(r"(何|なん)団体")),
)

# a subsidy's amount or rate: only a record that speaks of subsidies can state it (a 7割 cost is not
# a 補助率)
SUBSIDY = _rx(
    r"(補助|助成)(率|額|金|割合)",
    r"(補助|助成)(は|って|が)?(いくら|何割|何%|何パーセント)",
    r"(何|なん)割(の)?(補助|助成)",  # 「市から何割補助が出ると？」
    r"(いくら|何円|なんえん)(の|くらい|ぐらい)?(補助|助成)",  # 「市からいくら補助が出る？」
    r"\bsubsid",
)

# a strategy after this one (第3期, 次期): this one says nothing about it
LATER_STRATEGY = _rx(
    r"第\s*3\s*期", r"次期(の)?(総合)?戦略", r"次の(総合)?戦略", r"\b(third|next) (term|strategy)\b"
)

# a figure broken down by ward or school district: the strategy gives city-wide figures only
BREAKDOWN = _rx(
    r"(どの|何)区(が|で|の|に)",
    r"区(ごと|別)",
    r"校区(ごと|別)",
    r"(中央|東|西|南|北)区(の|に|にある|だけ|で)",  # one ward's figures or facilities (熊本市の5区)
    r"\bwhich ward\b",
    r"\bby ward\b",
)

# a share of a printed figure (「目標852億円のうち外国人の分は？」「国別の数は？」): only totals are printed
# (「内訳」 asks one on its own: ``handlers.scope``)
FIGURE_SHARE = _rx(
    r"[0-9][0-9,.]*\s*(億|万|千)?\s*(円|人|件|社|%|％)?のうち",
    r"(国|男女|年代|年齢|業種|月)別の?(数|人数|金額|内訳|割合)",
)

# an amount asked for, in any unit (「利用者数は？」「どのくらいいる？」): a KPI's figure, if one fits
ASKS_AMOUNT = _rx(
    r"数(は|って|を|が)?(わかる|わかり|知りたい|教えて|どの|どれ|どん|[?？]|$)",
    r"数字(は|って)(どう|どれ|いくつ|何|なん)",  # 「実際の数字はどうだったんですか？」
    r"数(は|って|が)?(出て|載って|書いて)(る|い|ます)",  # 「就職できた人の数って出てますか」
    r"数(は|って|を)?[^?？。]{0,6}(把握|調べ)",  # 「空き家の数って市は把握しとると？」
    r"どの(くらい|ぐらい)",
    r"どれ(くらい|ぐらい|だけ)",
    r"どんくらい",
    r"(何|なん)(人|件|割|%|パーセント)(?!か(?!な|ね|[?？。]|$)|も)",
    r"いくつ",
    r"(どっち|どちら)(の方|のほう)?が(多|少な|大き|小さ|高|低)",  # 「来る人と出ていく人、どっちが多い？」
    r"\bhow (many|much)\b",
)

# another municipality named in English: 「Fukuoka City's target」 (Kumamoto is the strategy's own)
OTHER_PLACE_EN = _rx(
    r"\b(?!(?:kumamoto|the|this|that|our|my|your|their|a|an|which|what|each|every|whole|big|small|other|same)\b)"
    r"([a-z]+)(?:'s)? (?:city|prefecture|town|village)\b"
)
# which other municipality (「政令市で1位はどこの市？」): the strategy ranks Kumamoto, it names no other
OTHER_PLACE_JA = _rx(
    r"(どこの|どの)(市|県|自治体|都市)(?!町)", r"[1１一]位(の(市|県|都市|自治体))?(は|って)(どこ|どの)"
)
# the prefecture's own figure or plan (「熊本県全体で生まれた赤ちゃん」「熊本県の総合戦略はいつ」), not the
# city's working with it (「県との連携」「県の役割」)
PREFECTURE_ASKED = _rx(
    r"(熊本)?県(の|全体|全域|として|独自|が(作|定め|策定|決め))(?!との|と市|市)",
    r"\bprefecture'?s (own )?(target|goal|strategy|plan|figure|number|births?|population)",
    r"\b(the )?(whole|all of|entire) (kumamoto )?prefecture\b",
)
PREFECTURE_TOGETHER = _rx(r"連携|協力|一緒|役割|分担|と市|との|\bwith\b|\bcooperat|\btogether\b")
ASKS_TIME = _rx(r"何時(から|に|まで|開始|始)", r"開始時(刻|間)", r"\bwhat time\b", r"\bstart(ed)? at\b")
