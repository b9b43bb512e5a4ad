"""Fixed user-facing wording of the answer pipeline, in one place for review.

Declines and help never state a figure: a number in those replies could be mistaken for an answer.
"""

from __future__ import annotations

STRATEGY = "熊本市しごと・ひと・まち創生総合戦略"

COVERS = (
    "この戦略でお答えできるのは、基本目標と施策、リーディングプロジェクト、数値目標・KPIの基準値と目標値、"
    "用語の意味、検証委員会（会議・委員・運営要綱）のことです。"
)

EXAMPLES = ["待機児童の目標は？", "MICEとは？", "創業支援の取り組みは？", "次回の会議はいつ？", "KPI一覧"]
EXAMPLES_EN = [
    "What is the target for births?",
    "What does MICE mean?",
    "When is the next committee meeting?",
]
CLARIFY = "どの項目についてのご質問でしょうか。指標や施策の名前を添えて、もう一度お聞きください。"
CLARIFY_EN = (
    "Which one do you mean? Please ask again with the name of the indicator or measure, "
    "for example: 'What is the target for births?'"
)

GREETING = "こんにちは。{strategy}についてお答えするチャットです。知りたいことを短い文で聞いてください。"
THANKS = "どういたしまして。ほかにも知りたいことがあれば、気軽に聞いてください。"
GOODBYE = "ご利用ありがとうございました。またいつでもどうぞ。"

HELP = (
    "{strategy}について、次のようなことにお答えします。\n"
    "・用語の意味（例：MICEとは？）\n"
    "・数値目標・KPIの基準値、目標値、進み具合（例：待機児童の目標は？）\n"
    "・施策やリーディングプロジェクトの内容（例：創業支援の取り組みは？）\n"
    "・検証委員会の会議、委員、運営要綱（例：次回の会議はいつ？）\n"
    "・一覧（例：KPI一覧、基本目標の一覧）"
)

EMPTY = "ご質問を入力してください。たとえば「待機児童の目標は？」のように聞いてください。"
TOO_LONG = "（ご質問が長いため、最初の部分だけを読んでお答えしています。）"

ERROR = "申し訳ありません。うまくお答えできませんでした。時間をおいてもう一度お試しください。"
NOT_LOADED = "申し訳ありません。戦略のデータがまだ準備できていないため、お答えできません。"
FALLBACK = "申し訳ありません。そのご質問には、この戦略の内容からはお答えできませんでした。"
CONTACT = "詳しくは{contact}へお問い合わせください。"
TRY_THESE = "次のような質問ならお答えできます。"

OUT_OF_SCOPE = {
    "weather": "天気についてはお答えできません。この窓口は{strategy}についての質問にお答えしています。",
    "garbage": "ごみの収集などの暮らしの手続きについては、この戦略には書かれていないためお答えできません。",
    "fee": "施設の料金や運賃は、この戦略には書かれていないためお答えできません。",
    "hours": "施設の開館・営業時間などは、この戦略には書かれていないためお答えできません。",
    "location": "施設の場所や行き方は、この戦略には書かれていないためお答えできません。",
    "shop": "商品を買えるお店や販売先は、この戦略には書かれていないためお答えできません。",
    "company": "個別の企業の名前は、この戦略には書かれていないためお答えできません。",
    "place_names": (
        "個々の市町村や地区の名前の一覧は、この戦略には書かれていません（数だけが書かれています）。"
    ),
    "covid": (
        "この戦略は新型コロナウイルス感染症の流行の前に作られたもので、コロナに関することは書かれていません。"
    ),
    "country": "国ごとの内訳や個々の国の名前は、この戦略には書かれていません。",
    "chitchat": "すみません、雑談にはお答えできません。{strategy}について聞いてください。",
    "other_place": "この戦略は熊本市のものです。ほかの自治体の目標や数値はお答えできません。",
    "opinion": "申し訳ありません。戦略の良し悪しについて意見を申し上げることはできません。"
    "戦略に書かれている目標や取組、KPIの数値ならお答えできます。",
    "year": "お尋ねの年についての目標や数値は、この戦略には定められていません。",
    "who": "お尋ねの人物については、この戦略には書かれていません。",
    "when": "お尋ねの日時や日程は、この戦略には書かれていません。",
    "figure": "お尋ねの数値は、この戦略には書かれていません。",
    "ward": "区ごとの数値や施設の一覧は、この戦略には書かれていません（戦略は市全体についてのものです）。",
    "procedure": "申請や手続き、募集については、この戦略には書かれていないためお答えできません。",
    "contact": "電話番号や連絡先、ホームページは、この戦略には書かれていないためお答えできません。",
    "lookup": "申し訳ありません。ご自宅や会社など、個別のことをお調べすることはできません。",
    "advice": (
        "個人的なご相談（医療・法律・お金など）にはお答えできません。専門の窓口や医療機関にご相談ください。"
    ),
    "now": (
        "今年や去年のような最近の数値は、この戦略には書かれていません。戦略が定めるのは基準値と目標値で、"
        "計画期間はすでに終了しています。それより新しい実績は、市の担当職員が登録するとお答えできるようになります。"
    ),
    "remarks": (
        "会議で委員が述べた意見や発言の内容は、この戦略には書かれていません"
        "（各回の日時・場所・議事はお答えできます）。"
    ),
    "reputation": "個々の施設や事業所の評判やおすすめは、この戦略には書かれていないためお答えできません。",
    "attendance": (
        "各回の会議に何人が出席したかは、この戦略には書かれていません（日時・場所・議事はお答えできます）。"
    ),
    "budget": "予算や事業費の額は、この戦略には書かれていないためお答えできません。",
    "reward": "ポイントや特典で何がもらえるかといった事業の細かな内容は、この戦略には書かれていません。",
    "later_strategy": "この戦略より後の期の総合戦略については、この戦略には書かれていません。",
    "no_such": (
        "お尋ねの番号の項目は、この戦略にはありません。"
        "基本目標とリーディングプロジェクトの一覧は、下の質問からご覧いただけます。"
    ),
}

# English, for questions asked in English (no figures in a decline: it states no facts)
STRATEGY_EN = "Kumamoto City's regional revitalization strategy (the second term)"
FALLBACK_EN = "Sorry, I could not find an answer to that in " + STRATEGY_EN + "."
COVERS_EN = (
    "I can answer questions about its basic goals and measures, the leading projects, the KPIs "
    "(baselines and targets), the terms it uses, and the verification committee."
)
CONTACT_EN = "For anything else, please contact the city office: {contact}."
OUT_OF_SCOPE_EN = {
    "weather": "Sorry, I can't answer questions about the weather.",
    "fee": "Sorry, the strategy does not give fees or fares.",
    "hours": "Sorry, the strategy does not give opening hours.",
    "location": "Sorry, the strategy does not give addresses or directions.",
    "shop": "Sorry, the strategy does not name shops or where products are sold.",
    "company": "Sorry, the strategy does not name individual companies.",
    "place_names": (
        "The strategy does not list those municipalities or districts by name; it only gives their number."
    ),
    "covid": "The strategy was written before the COVID-19 pandemic and says nothing about it.",
    "country": "The strategy does not name individual countries or break figures down by country.",
    "chitchat": "Sorry, I can only answer questions about the strategy.",
    "other_place": "This is Kumamoto City's strategy; I can't answer about other cities.",
    "opinion": (
        "Sorry, I can't give opinions on the strategy; I can tell you its goals, measures and KPI figures."
    ),
    "year": "The strategy sets no target or figure for that year.",
    "who": "The strategy does not say who that is.",
    "when": "The strategy does not give that date.",
    "figure": "The strategy does not give that figure.",
    "ward": "The strategy gives no figures or lists of facilities by ward; it covers the city as a whole.",
    "procedure": "Sorry, the strategy does not cover applications or procedures.",
    "contact": "Sorry, the strategy does not give phone numbers or contact details.",
    "lookup": "Sorry, I can't look into individual cases such as your home or your company.",
    "advice": "Sorry, I can't give personal, medical or legal advice; please ask a professional.",
    "now": (
        "The strategy gives baselines and targets, not this year's or last year's figures, and its plan "
        "period has ended; "
        "newer actuals appear here once city staff record them."
    ),
    "remarks": (
        "The strategy does not record what members said at the meetings; I can give each meeting's "
        "date, place and agenda."
    ),
    "reputation": "Sorry, the strategy does not rate or recommend individual facilities or providers.",
    "attendance": (
        "The strategy does not record how many attended each meeting; I can give its date, place and agenda."
    ),
    "budget": "Sorry, the strategy does not give budgets or project costs.",
    "reward": "Sorry, the strategy does not say what such schemes give (points, perks and the like).",
    "later_strategy": "The strategy says nothing about a later (third-term) strategy.",
    "no_such": "The strategy has no item with that number; the questions below list its goals and projects.",
}
