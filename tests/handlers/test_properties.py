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


ROOT = Path(__file__).resolve().parents[2]
REAL_QUESTIONS = [
    q["q"]
    for path in [
        ROOT / "tests" / "questions.yaml",
        *sorted((ROOT / "benchmarks" / "blind").glob("batch-*.yaml")),
    ]
    for q in yaml.safe_load(path.read_text("utf-8"))["questions"]
]
PRINTED = unicodedata.normalize("NFKC", "\n".join(p.read_text(encoding="utf-8") for p in DATA.glob("*.yaml")))


@st.composite
def with_typos(draw: st.DrawFn) -> str:
    """A real question with one to three slips: a character dropped, doubled, swapped or replaced."""
    text = draw(st.sampled_from(REAL_QUESTIONS))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if not text:
            break
        i = draw(st.integers(min_value=0, max_value=len(text) - 1))
        slip = draw(st.sampled_from(["drop", "double", "swap", "replace"]))
        if slip == "drop":
            text = text[:i] + text[i + 1 :]
        elif slip == "double":
            text = text[:i] + text[i] + text[i:]
        elif slip == "swap" and i + 1 < len(text):
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        else:
            text = text[:i] + draw(st.sampled_from(list("あいうかきアイウー一二機待の？ 0a"))) + text[i + 1 :]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(with_typos())
def test_real_questions_with_typos_never_fail_nor_invent_a_figure(answerer, text: str) -> None:
    check(answerer, text)
    reply = answerer.answer(Query(text=text, channel="test"))
    body = DOTTED_DATE.sub(" ", unicodedata.normalize("NFKC", reply.text))
    for figure in FIGURE.findall(body):
        plain = figure.replace(",", "")
        assert figure in PRINTED or plain in PRINTED or plain.rstrip("0").rstrip(".") in PRINTED, (
            text,
            figure,
        )
