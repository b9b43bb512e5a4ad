"""Every user-facing string the Slack app adds around the answers, in one place for review.

Answers and staff-command results come from ``handlers`` (channel-neutral); these are the labels,
buttons, refusals and error messages the Slack channel puts around them.
"""

from __future__ import annotations

# --- answers ---------------------------------------------------------------------------------------
SOURCE = "出典: {source}"
QUESTION_ECHO = "「{question}」へのお答え"
SUGGESTIONS_LABEL = "こちらも聞けます"
FALLBACK_NOTIFICATION = "回答"  # notification text when a message has only blocks

KPI_FIELDS = {
    "baseline": "基準値",
    "target": "目標",
    "latest": "最新の実績",
    "status": "状況",
    "progress": "進み具合",
}
KPI_NO_ACTUAL = "実績なし"
KPI_STAFF_ORIGIN = "（職員入力）"
STATUS_EMOJI = {
    "達成": ":white_check_mark:",
    "順調": ":large_blue_circle:",
    "遅れ": ":warning:",
    "基準値のみ": ":grey_question:",
}

# --- staff tools ---------------------------------------------------------------------------------
CONFIRM_BUTTON = "記録する"
CANCEL_BUTTON = "やめる"
CONFIRM_CANCELLED = "記録をやめました。何も書き込んでいません。"
CONFIRM_ALREADY_USED = "この確認はすでに処理済みです。"
CONFIRM_UNKNOWN = (
    "この確認ボタンは無効です（このボットが発行した確認ではありません）。"
    "何も書き込んでいません。もう一度 /kpi set からやり直してください。"
)
CONFIRM_EXPIRED = (
    "この確認は有効期限が切れました。何も書き込んでいません。もう一度 /kpi set で確認してください。"
)
CONFIRM_OTHER_USER = (
    "この確認は別の職員に表示されたものです。何も書き込んでいません。ご自身で /kpi set を実行してください。"
)
RECENT_CHANGES = "直近の変更"
CHANGE_ACTIONS = {"set": "記録", "undo": "取り消し", "import": "一括取り込み"}

REFUSAL = (
    "申し訳ありません。このコマンドは戦略の担当職員だけが使えます。"
    "必要な場合は政策企画課に、担当者としての登録を依頼してください。"
)

# --- the /meeting add form -----------------------------------------------------------------------
MEETING_MODAL_TITLE = "会議の登録"
MEETING_MODAL_SUBMIT = "登録する"
MEETING_MODAL_CLOSE = "やめる"
MEETING_MODAL_DATE = "日付"
MEETING_MODAL_TIME = "開始時刻（日本時間）"
MEETING_MODAL_PLACE = "場所"
MEETING_MODAL_PLACE_HINT = "例: 市役所本庁舎14階会議室"
MEETING_MODAL_AGENDA = "議題（1行に1つ）"

# --- errors --------------------------------------------------------------------------------------
EMPTY_QUESTION = (
    "ご質問をどうぞ。たとえば「待機児童の目標は？」「DMOとは？」"
    "「次回の検証委員会はいつ？」のように聞いてください。"
)
TOO_LONG = "ご質問が長すぎます。2,000文字以内で、短く聞いてください。"
INTERNAL_ERROR = "申し訳ありません。処理中に問題が起きました。少し時間をおいて、もう一度お試しください。"
NOT_CONFIGURED = "Slack連携が設定されていません。"

CHART_ALT = "{name}の推移のグラフ"
OVERVIEW_ALT = "数値目標・KPIの進み具合のグラフ"
SHARE_BUTTON = "チャンネルに共有"
SHARED_BY = "<@{user}> さんが共有した回答"
