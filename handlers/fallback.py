"""Replies that state no strategy fact: help, greetings, "I don't know", out of scope, errors.

None of them contains a figure. Each offers questions the bot can answer and, when it cannot
answer, names where to ask a person (the contact text is configuration).
"""

from __future__ import annotations

from handlers import texts
from handlers.reply import Reply


def help_reply(*, empty: bool = False) -> Reply:
    text = texts.EMPTY if empty else texts.HELP.format(strategy=texts.STRATEGY)
    return Reply(kind="help", answered=False, text=text, suggestions=list(texts.EXAMPLES))


def greeting(normalized: str) -> Reply:
    if "ありがと" in normalized or "thank" in normalized:
        text = texts.THANKS
    elif any(w in normalized for w in ("さようなら", "バイバイ", "またね")):
        text = texts.GOODBYE
    else:
        text = texts.GREETING.format(strategy=texts.STRATEGY)
    return Reply(kind="greeting", answered=False, text=text, suggestions=list(texts.EXAMPLES))


def fallback(contact: str, suggestions: list[str], *, latin: bool = False) -> Reply:
    if latin:
        parts = [texts.FALLBACK_EN, texts.COVERS_EN, texts.CONTACT_EN.format(contact=contact)]
    else:
        parts = [texts.FALLBACK, texts.COVERS, texts.CONTACT.format(contact=contact)]
    return Reply(kind="fallback", answered=False, text="\n".join(parts), suggestions=suggestions[:3])


def in_english(reply: Reply, contact: str) -> Reply:
    """A decline of a question asked in English, said in English."""
    if reply.kind == "fallback":
        return fallback(contact, reply.suggestions, latin=True)
    head = texts.OUT_OF_SCOPE_EN.get(reply.data.get("reason", ""), texts.FALLBACK_EN)
    text = "\n".join([head, texts.COVERS_EN, texts.CONTACT_EN.format(contact=contact)])
    return reply.model_copy(update={"text": text})


def out_of_scope(reason: str, contact: str, suggestions: list[str]) -> Reply:
    head = texts.OUT_OF_SCOPE.get(reason, texts.FALLBACK).format(strategy=texts.STRATEGY)
    text = "\n".join([head, texts.COVERS, texts.CONTACT.format(contact=contact)])
    return Reply(
        kind="out_of_scope", answered=False, text=text, suggestions=suggestions[:3], data={"reason": reason}
    )


def error_reply(contact: str, *, not_loaded: bool = False) -> Reply:
    head = texts.NOT_LOADED if not_loaded else texts.ERROR
    text = head + "\n" + texts.CONTACT.format(contact=contact)
    return Reply(kind="error", answered=False, text=text, suggestions=list(texts.EXAMPLES[:3]))
