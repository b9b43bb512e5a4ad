"""Glossary answers: the term, its definition (the footnote, verbatim) and where it appears."""

from __future__ import annotations

from handlers.context import Context, clip
from handlers.reply import Reply
from nlp.normalize import to_katakana


def answer(ctx: Context, term: dict) -> Reply:
    name = term["term"]
    reading = term["reading"]
    head = f"「{name}」"
    if reading and to_katakana(reading) != to_katakana(name):
        head = f"「{name}」（{reading}）"
    text = f"{head}とは：{term['definition']}\n（戦略の「{term['appears_in']}」に出てくる用語です。）"
    suggestions = [f"{label(term)}の施策は？", "用語の一覧", "ほかに何が聞ける？"]
    return Reply(
        kind="glossary",
        answered=True,
        text=clip(text, 600),
        source=term["source"],
        suggestions=suggestions,
        data={"term": name, "reading": reading, "definition": term["definition"], "id": term["id"]},
    )


def label(term: dict) -> str:
    """The term as a follow-up button can hold it: the printed term, else its shortest alias."""
    name = short(term["term"])
    if len(name) <= 14:
        return name
    aliases = sorted((a for a in term.get("aliases", []) if 2 <= len(a) <= 14), key=len, reverse=True)
    return aliases[0] if aliases else name


def short(name: str) -> str:
    """A term short enough for a follow-up button: the part before any bracket or slash."""
    for sep in ("（", "(", "／", "/"):
        name = name.split(sep, 1)[0]
    return name.strip()


def list_terms(ctx: Context) -> Reply:
    terms = [short(t["term"]) for t in ctx.corpus.glossary]
    text = (
        "戦略の脚注で説明されている用語は次のとおりです。\n"
        + "、".join(terms)
        + "\n知りたい用語を「○○とは？」と聞いてください。"
    )
    return Reply(
        kind="glossary",
        answered=True,
        text=clip(text, 600),
        source="脚注",
        suggestions=[f"{t}とは？" for t in terms[:6]],
        data={"items": [t["id"] for t in ctx.corpus.glossary]},  # 「2番目の」 picks one of them
    )


def compared(ctx: Context, first: dict, second: dict) -> Reply:
    """「スクールカウンセラーとスクールソーシャルワーカーってどう違う？」: both definitions, one after
    the other, as the strategy gives them."""
    lines = [f"「{t['term']}」とは：{t['definition']}" for t in (first, second)]
    return Reply(
        kind="glossary",
        answered=True,
        text=clip("\n".join(lines), 900),
        source=first["source"],
        suggestions=[f"{label(first)}の施策は？", f"{label(second)}の施策は？", "用語の一覧"],
        data={"term": first["term"], "id": first["id"], "compared": second["id"]},
    )
