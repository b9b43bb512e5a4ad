"""Why a figure went as it did: what the first term's review says about an indicator.

「出生数の目標に届かなかった理由は？」「地域活動への参加はなんで増えたと？」 ask for the strategy's own
explanation. It is printed in two places: each 基本目標's 【第１期戦略の検証】 (about its 数値目標), and
the review of each first-term 施策 (課題・検証, in the 検証委員会 material). The sentences about the
indicator asked are quoted as printed; an indicator neither place speaks of gets its usual card.
"""

from __future__ import annotations

import re

from handlers.context import Context, clip, quote, sentences
from handlers.reply import Reply

MAX_SENTENCES = 3  # of the goal's review: the sentence naming the indicator and what follows it
_QUOTED = re.compile(r"「([^」]+)」")


def _core(name: str) -> str:
    """The name without its remarks in brackets, as the text names it: 「居住誘導区域の人口密度
    （住民基本台帳ベース）」 is 「居住誘導区域の人口密度」."""
    return re.sub(r"（[^）]*）|\([^)]*\)", "", name).strip()


def _names(sentence: str, name: str) -> bool:
    core = _core(name)
    return core in sentence or any(q and (q in name or q in core) for q in _QUOTED.findall(sentence))


def _names_another(sentence: str, name: str) -> bool:
    """The sentence names an indicator in 「」 other than ``name`` (「出生数」 beside 「年転入超過数」)."""
    return any(q not in name and q not in _core(name) for q in _QUOTED.findall(sentence))


def _goal_block(verification: str, name: str) -> list[str]:
    """The sentences of a goal's review about ``name``: from the one naming it to the next one that
    names another indicator (「…」), at most ``MAX_SENTENCES``."""
    said = sentences(verification)
    alone = [i for i, s in enumerate(said) if _names(s, name) and not _names_another(s, name)]
    start = next(iter(alone), next((i for i, s in enumerate(said) if _names(s, name)), None))
    if start is None:
        return []
    block = [said[start]]
    for s in said[start + 1 :]:
        if len(block) >= MAX_SENTENCES or _names_another(s, name):
            break
        block.append(s)
    return block


def _review_bullets(ctx: Context, history_ids: list[str], name: str) -> tuple[list[str], str | None]:
    """The 課題・検証 bullets of the first-term 施策 whose page prints the indicator: those naming it,
    or all of them."""
    for history_id in history_ids:
        review = ctx.corpus.review_of_history(history_id)
        if review and review["review"]:
            bullets = [b for b in review["review"] if _names(b, name)] or list(review["review"])
            return bullets, review["review_source"]
    # an indicator new in the second term (観光消費額) may still be spoken of in a first-term review
    for review in ctx.corpus.first_term_reviews:
        bullets = [b for b in review["review"] or [] if _names(b, name)]
        if bullets:
            return bullets, review["review_source"]
    return [], None


def reasons(
    ctx: Context, name: str, goal_id: str | None, history_ids: list[str], card: Reply
) -> Reply | None:
    """The indicator's card (its figures) and what the first term's review says about it; None
    when the review says nothing of it."""
    goal = ctx.corpus.by_id.get(goal_id or "")
    block = _goal_block(goal["verification"], name) if goal else []
    bullets, review_source = _review_bullets(ctx, history_ids, name)
    if not block and not bullets:
        return None
    lines = [card.text, f"第1期戦略の検証では、{quote(_core(name))}について次のように書かれています。"]
    if block:
        lines.append("".join(block))
    lines += [f"・{b}" for b in bullets]
    source = f"{goal['source']} > 第１期戦略の検証" if block and goal else review_source or ""
    return card.model_copy(update={"text": clip("\n".join(lines), 900), "source": f"{card.source}／{source}"})
