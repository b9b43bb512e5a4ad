"""Property tests: any text gives a Reply within the limits, and no figure unless it answers."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.reply import MAX_SUGGESTIONS, MAX_TEXT, Query

DIGIT = re.compile(r"[0-9]")
DOTTED_DATE = re.compile(r"(20[0-9]{2})\.([0-9]{1,2})\.([0-9]{1,2})")
FIGURE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+\.[0-9]+")
DATA = Path(__file__).resolve().parents[2] / "strategy_data" / "data"

japanese = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),  # kana
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),  # some kanji
        st.sampled_from(
            list("待機児童観光消費額目標基準値実績とは何？の会議次回委員ＫＰＩｋｐｉ2030年令和5 　！。")
        ),
    ),
    max_size=60,
)


def check(answerer, text: str) -> None:
    reply = answerer.answer(Query(text=text, channel="test"))
    assert reply.kind != "error", text  # an internal failure is caught, but must not happen
    assert len(reply.text) <= MAX_TEXT
    assert len(reply.suggestions) <= MAX_SUGGESTIONS
    if not reply.answered:
        assert not DIGIT.search(unicodedata.normalize("NFKC", reply.text)), (text, reply.text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_unicode(answerer, text: str) -> None:
    check(answerer, text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(japanese)
def test_japanese_like_text(answerer, text: str) -> None:
    check(answerer, text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(["待機児童", "MICE", "とは", "の目標", "次回", "会議", "鹿児島市", "2030年", "😀"]),
        max_size=6,
    )
)
def test_fragments_of_real_questions(answerer, parts: list[str]) -> None:
    check(answerer, "".join(parts))


def test_every_figure_stated_is_printed_in_the_data(answerer) -> None:
    """Numbers with a separator or decimals (6,766 / 1.14 / 78.15) come from the data, never elsewhere."""
    printed = unicodedata.normalize(
        "NFKC", "\n".join(p.read_text(encoding="utf-8") for p in DATA.glob("*.yaml"))
    )
    questions = yaml.safe_load((Path(__file__).resolve().parents[1] / "questions.yaml").read_text("utf-8"))
    for q in questions["questions"]:
        reply = answerer.answer(Query(text=q["q"], channel="test"))
        text = unicodedata.normalize("NFKC", reply.text)
        for y, m, d in DOTTED_DATE.findall(text):  # a date as the roster prints it: 2018.7.13
            assert f"{y}-{int(m):02d}-{int(d):02d}" in printed, (q["q"], f"{y}.{m}.{d}")
        for figure in FIGURE.findall(DOTTED_DATE.sub(" ", text)):
            plain = figure.replace(",", "")
            assert figure in printed or plain in printed or plain.rstrip("0").rstrip(".") in printed, (
                q["q"],
                figure,
            )
