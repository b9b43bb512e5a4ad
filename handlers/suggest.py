"""Questions the bot can answer, offered as suggestions: one for a record, a few near a question."""

from __future__ import annotations

import re

from handlers import glossary, kpi
from handlers.corpus import Corpus
from nlp.index import Doc
from nlp.ranking import Candidate

MAX_LABEL = 20  # LINE quick-reply labels hold 20 characters


_LIST_LABELS = {
    "committee": "検証委員会",
    "members": "検証委員会の委員",
    "rules": "運営要綱",
    "meetings": "検証委員会の会議",
    "public_comment": "パブリックコメント",
    "goals": "基本目標",
    "projects": "リーディングプロジェクト",
}


def label_of(corpus: Corpus, kind: str | None, record_id: str) -> str | None:
    """The name a question uses for a record of ``kind`` (「出生数」「基本目標2」「荒川委員」): in a
    rewritten follow-up, and in the suggestions made from it."""
    if kind in _LIST_LABELS:
        return _LIST_LABELS[kind]
    row = corpus.by_id.get(record_id)
    if not row or kind is None:
        return None
    if kind == "kpi":
        return kpi.label(row, limit=20)
    if kind == "glossary":
        return glossary.short(row["term"])
    if kind == "goal":
        return f"基本目標{row['number']}"
    if kind == "measure":
        return f"基本目標{corpus.goal_number(row['goal_id'])}の施策({row['number']})"
    if kind == "project":
        return f"プロジェクト{row['numeral']}"
    if kind == "member":
        return f"{row['name'].split()[0]}委員"
    if kind == "rule":
        return f"運営要綱第{row['number']}条"
    if kind == "meeting":
        return f"第{row['number']}回の会議"
    if kind == "history":
        return row["name"][:20]
    if kind == "review":
        return "第1期の" + re.sub("[「」『』]", "", row["title"])
    title = row.get("title") or row.get("name") or ""
    return title.split("～")[0].strip()[:30] or None


def question_for(corpus: Corpus, doc: Doc) -> str | None:
    """A short follow-up question that answers ``doc``."""
    row = corpus.by_id.get(doc.id)
    if doc.kind == "glossary" and row:
        term = glossary.short(row["term"])
        return f"{term}とは？" if len(term) <= MAX_LABEL - 3 else term[:MAX_LABEL]
    if doc.kind == "kpi" and row:
        return f"{kpi.label(row)}の目標は？"
    if doc.kind == "history" and row:
        return f"{row['name'][:14]}の実績は？"
    if doc.kind in ("goal", "meeting", "member") and row:
        return f"{label_of(corpus, doc.kind, doc.id)}は？"
    if doc.kind == "project" and row:
        return f"{label_of(corpus, doc.kind, doc.id)}の概要"
    if doc.kind in ("measure", "item", "project_item", "project_subitem") and row:
        title = row["title"].rstrip("。")
        return title if len(title) <= 18 else title[:17] + "…"
    if doc.kind in ("overview", "promotion") and row:
        return f"{row['title'].split('～')[0].strip()[:12]}は？"
    if doc.kind == "rule" and row:
        return f"運営要綱の{row['title']}は？"
    fixed = {
        "committee": "検証委員会とは？",
        "members": "委員は誰？",
        "rules": "運営要綱とは？",
        "meetings": "検証委員会の開催経過",
        "public_comment": "パブリックコメントの期間は？",
        "goals": "基本目標の一覧",
        "projects": "リーディングプロジェクトは？",
    }
    return fixed.get(doc.kind)


def examples() -> list[str]:
    from handlers.texts import EXAMPLES

    return list(EXAMPLES)


def related(corpus: Corpus, candidates: list[Candidate]) -> list[str]:
    """Up to 3 questions the bot can answer, near the question when something partly matched."""
    out: list[str] = []
    for c in candidates[:6]:
        if c.coverage <= 0:
            continue
        q = question_for(corpus, c.doc)
        if q and q not in out:
            out.append(q)
    for q in examples():
        if len(out) >= 3:
            break
        if q not in out:
            out.append(q)
    return out[:3]
