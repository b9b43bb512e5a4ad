"""Every user-facing string the LINE channel adds around the answers, in one place for review.

Answers themselves come from ``handlers`` (channel-neutral); these are the welcome, the polite
replies to stickers and photos, the group greeting, and the few error messages.
"""

from __future__ import annotations

STRATEGY_NAME = "熊本市しごと・ひと・まち創生総合戦略（第2期）"

# Example questions offered as quick replies when the bot has nothing more specific to suggest.
EXAMPLE_QUESTIONS: tuple[str, ...] = (
    "何が聞けるの？",
    "KPI一覧",
    "待機児童の目標は？",
    "遅れているKPIは？",
    "DMOとは？",
    "創業支援の取り組み",
    "次回の検証委員会はいつ？",
)

WELCOME = (
    "友だち追加ありがとうございます。\n"
    f"{STRATEGY_NAME}について、ご質問にお答えするボットです。\n\n"
    "たとえば次のようなことを、ふだんの言葉で聞いてください。\n"
    "・数値目標（KPI）の目標値と最新の実績、達成状況\n"
    "・施策や主な取り組みの内容\n"
    "・戦略に出てくる用語の意味\n"
    "・検証委員会の会議の日程や委員\n\n"
    "検証委員会の会議の前にお知らせを受け取りたい方は「リマインド登録」と送ってください"
    "（やめるときは「リマインド解除」）。\n\n"
    "下のボタンからも質問できます。"
)

GROUP_JOIN = (
    "グループに招待いただきありがとうございます。\n"
    f"{STRATEGY_NAME}についての質問にお答えします。\n"
    "グループでは、わたしにメンションするか、「{trigger}」で始めて質問してください。\n"
    "例：「{trigger} 待機児童の目標は？」"
)

# Polite replies to messages the bot cannot read, by LINE message type.
NON_TEXT: dict[str, str] = {
    "sticker": "スタンプありがとうございます。",
    "image": "画像を送っていただきありがとうございます。申し訳ありませんが、画像の内容にはお答えできません。",
    "video": "動画を送っていただきありがとうございます。申し訳ありませんが、動画の内容にはお答えできません。",
    "audio": "音声を送っていただきありがとうございます。申し訳ありませんが、音声の内容にはお答えできません。",
    "file": "ファイルを送っていただきありがとうございます。申し訳ありませんが、ファイルの内容は読めません。",
    "location": (
        "位置情報を送っていただきありがとうございます。申し訳ありませんが、場所についてのご案内はできません。"
    ),
}
NON_TEXT_DEFAULT = (
    "メッセージありがとうございます。申し訳ありませんが、この種類のメッセージにはお答えできません。"
)
WHAT_I_CAN_DO = (
    f"{STRATEGY_NAME}の数値目標（KPI）、施策、用語、検証委員会について、"
    "文字で質問していただければお答えします。"
)

TOO_LONG = (
    "ご質問が長すぎるため、お答えできませんでした。"
    "知りたいことを短く（{limit}文字以内で）送っていただけますか。"
)
EMPTY_MENTION = "お呼びでしょうか。" + WHAT_I_CAN_DO
POSTBACK_UNKNOWN = "申し訳ありませんが、この操作にはお答えできません。" + WHAT_I_CAN_DO
INTERNAL_ERROR = (
    "申し訳ありません。ただいまお答えを用意できませんでした。少し時間をおいて、もう一度お試しください。"
)

# Flex Message (KPI card) labels.
FLEX_KPI_HEADER = "数値目標・KPI"
FLEX_BASELINE = "基準値"
FLEX_TARGET = "目標値"
FLEX_LATEST = "最新の実績"
FLEX_NO_LATEST = "基準値以降の実績はまだありません"
FLEX_PROGRESS = "目標までの進み具合"
FLEX_SOURCE = "出典"
FLEX_ALT_KPI = "{name}：{status}（目標 {target}）"
FLEX_ALT_LIST = "KPI {count}件の状況"
FLEX_LIST_HEADER = "数値目標・KPI {count}件の状況"
FLEX_LIST_HINT = "指標名をタップすると詳しくお答えします。"
FLEX_TAP_QUESTION = "{name}の目標は？"
FLEX_DOWN = "基準値より下げる目標"
SOURCE_LINE = "出典：{source}"
LIST_LEAD = "{head}の状況です（{counts}）。"
AT_LEAST = "以上"
AT_MOST = "以下"
ELLIPSIS = "…"
TEXT_CONTINUED = "（続きます）"
