"""User-facing wording of the web chat page and its API errors (Japanese)."""

from __future__ import annotations

TITLE = "熊本市しごと・ひと・まち創生総合戦略 Q&A"
INTRO = (
    "熊本市「しごと・ひと・まち創生総合戦略（第2期）」について、ふだんの言葉で質問してください。"
    "数値目標（KPI）の目標値と最新の実績、施策の内容、用語の意味、検証委員会の会議にお答えします。"
    "答えには戦略のどこに書いてあるか（出典）を添えます。"
)
EXAMPLES = (
    "待機児童の目標は？",
    "KPI一覧",
    "遅れているKPIは？",
    "MICEって何？",
    "創業支援の取り組み",
    "次回の検証委員会はいつ？",
)
INPUT_LABEL = "質問"
INPUT_PLACEHOLDER = "例：観光消費額はどうなった？"
SEND = "送信"
EXAMPLES_LABEL = "質問の例"
NOSCRIPT = "このページで質問するには JavaScript を有効にしてください。"
PRIVACY = "入力された質問は、答えられなかった質問の集計に使うことがあります。個人情報は入力しないでください。"

# API errors: (status, code) → message shown to the person
ERRORS = {
    "empty_body": "質問が送られていません。",
    "not_json": "リクエストの形式が正しくありません（JSON で送ってください）。",
    "too_large": "送られたデータが大きすぎます。質問は短くしてください。",
    "invalid": "質問の内容を確認してください。",
    "empty_text": "質問を入力してください。",
    "text_too_long": "質問が長すぎます。{max}文字以内で入力してください。",
    "bad_session": "セッションの指定が正しくありません。ページを読み込み直してください。",
    "not_found": "ページが見つかりません。",
    "unavailable": "ただいま一時的にご利用いただけません。しばらくしてから、もう一度お試しください。",
}
