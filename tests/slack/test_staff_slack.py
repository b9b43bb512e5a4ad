"""Staff tools end to end over HTTP: /kpi set with its confirm button, undo, show, list, two staff at
once, /meeting (commands and the form), /strategy unanswered, and a citizen's answer right after a
staff entry. The module shares one database: each test uses its own KPIs, years and users."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from typing import Any

from bot.slack import texts as T
from strategy_data.clock import JST

SlackRig = Any  # the ``rig`` fixture of tests/slack/conftest.py
STAFF_1 = "USTAFF001"
STAFF_2 = "USTAFF002"


def api(method: str):
    return lambda c: c.api == method


def _confirm_button(post: Any) -> dict[str, Any]:
    for block in post.body["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == "kpi_set_confirm":
                return element
    raise AssertionError(f"no confirm button in {post.body['blocks']}")


def _all_text(post: Any) -> str:
    out = [post.body.get("text", "")]
    for b in post.body.get("blocks", []):
        if b.get("text"):
            out.append(b["text"]["text"])
        out += [f["text"] for f in b.get("fields", [])]
        out += [e["text"] for e in b.get("elements", []) if isinstance(e.get("text"), str)]
    return "\n".join(out)


def _set(rig: SlackRig, text: str, user: str = STAFF_1) -> dict[str, Any]:
    """``/kpi set …`` → the preview's confirm button."""
    resp, url = rig.command("/kpi", f"set {text}", user=user)
    assert resp.status_code == 200
    [preview] = rig.posts_to(url)
    return _confirm_button(preview)


def _confirm(rig: SlackRig, button: dict[str, Any], user: str = STAFF_1) -> Any:
    resp, url = rig.click({"action_id": "kpi_set_confirm", "value": button["value"]}, user=user)
    assert resp.status_code == 200
    [result] = rig.posts_to(url)
    return result


def test_kpi_set_confirm_flow_writes_only_on_confirm(rig: SlackRig):
    db = rig.db()
    before = db["kpi_audit"].count
    button = _set(rig, "出生数 2020 6,512 確定値")
    assert db.execute(
        "SELECT count(*) FROM kpi_actuals WHERE kpi_id = 'births' AND year = 2020"
    ).fetchone() == (0,)
    assert db["kpi_audit"].count == before  # nothing written by the preview
    result = _confirm(rig, button)
    assert result.body["replace_original"] is True  # the preview (and its buttons) is replaced
    assert "記録しました" in _all_text(result)
    row = db.execute(
        "SELECT value, note, entered_by FROM kpi_actuals WHERE kpi_id = 'births' AND year = 2020"
    ).fetchone()
    assert row == (6512.0, "確定値", f"slack:{STAFF_1}")
    audit = db.execute(
        "SELECT action, old_value, new_value, actor FROM kpi_audit WHERE kpi_id = 'births' AND year = 2020"
    ).fetchall()
    assert audit == [("set", None, 6512.0, f"slack:{STAFF_1}")]
    # a second click on the same button does not write again
    again = _confirm(rig, button)
    assert T.CONFIRM_ALREADY_USED in _all_text(again)
    assert db.execute(
        "SELECT count(*) FROM kpi_audit WHERE kpi_id = 'births' AND year = 2020"
    ).fetchone() == (1,)
    db.close()


def test_cancel_button_writes_nothing(rig: SlackRig):
    db = rig.db()
    _set(rig, "commercialized-products 2021 15")
    resp, url = rig.click({"action_id": "kpi_set_cancel", "value": "cancel"})
    assert resp.status_code == 200
    [post] = rig.posts_to(url)
    assert post.body["replace_original"] is True and post.body["text"] == T.CONFIRM_CANCELLED
    assert db.execute(
        "SELECT count(*) FROM kpi_actuals WHERE kpi_id = 'commercialized-products'"
    ).fetchone() == (0,)
    db.close()


def test_bad_values_are_refused_before_any_confirmation(rig: SlackRig):
    db = rig.db()
    counts = (db["kpi_actuals"].count, db["kpi_audit"].count)
    for text, fragment in [
        ("set 大卒者の県内定着率 2022 145%", "0から100まで"),
        ("set 出生数 2031 6500", "2030年まで"),
        ("set 出生数 2022 abc", "数値として読めません"),
        ("set 空飛ぶ車の台数 2022 3", "見つかりません"),
        ("set 出生数 6500", "入力の形が違います"),
    ]:
        resp, url = rig.command("/kpi", text)
        assert resp.status_code == 200
        [post] = rig.posts_to(url)
        assert fragment in _all_text(post), text
        assert all(b["type"] != "actions" for b in post.body["blocks"])  # no confirm button
    assert (db["kpi_actuals"].count, db["kpi_audit"].count) == counts
    # a confirm payload forged to carry a value (or a code) the bot never issued is refused
    for forged in (
        {"action": "kpi_set", "nonce": "forged-1", "entry": {"kpi_id": "births", "year": 2022, "value": -5}},
        {"action": "kpi_set", "code": "never-issued"},
    ):
        result = _confirm(rig, {"value": json.dumps(forged)})
        assert T.CONFIRM_UNKNOWN in _all_text(result)
    assert (db["kpi_actuals"].count, db["kpi_audit"].count) == counts
    db.close()


def test_undo_reverts_the_callers_last_change(rig: SlackRig):
    db = rig.db()
    _confirm(rig, _set(rig, "uij-employment 2021 60", user=STAFF_2), user=STAFF_2)
    _confirm(rig, _set(rig, "uij-employment 2021 65", user=STAFF_2), user=STAFF_2)
    _, url = rig.command("/kpi", "undo", user=STAFF_2)
    [post] = rig.posts_to(url)
    assert "取り消しました" in _all_text(post) and "65人 → 60人" in _all_text(post)
    assert db.execute("SELECT value FROM kpi_actuals WHERE kpi_id = 'uij-employment'").fetchall() == [(60.0,)]
    actions = [
        r[0] for r in db.execute("SELECT action FROM kpi_audit WHERE kpi_id = 'uij-employment' ORDER BY id")
    ]
    assert actions == ["set", "set", "undo"]
    db.close()


def test_two_staff_set_the_same_kpi_at_once(rig: SlackRig):
    """Both confirmations race; both are audited with the value each replaced, the later one wins."""
    buttons = {
        STAFF_1: _set(rig, "tourism-spending 2022 700", user=STAFF_1),
        STAFF_2: _set(rig, "tourism-spending 2022 720", user=STAFF_2),
    }
    barrier = threading.Barrier(2)
    results: dict[str, Any] = {}

    def click(user: str) -> None:
        barrier.wait(60)
        results[user] = rig.click(
            {"action_id": "kpi_set_confirm", "value": buttons[user]["value"]}, user=user
        )

    threads = [threading.Thread(target=click, args=(u,)) for u in buttons]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for user, (resp, url) in results.items():
        assert resp.status_code == 200, user
        rig.posts_to(url)
    db = rig.db()
    audit = db.execute(
        "SELECT actor, old_value, new_value FROM kpi_audit"
        " WHERE kpi_id = 'tourism-spending' AND year = 2022 ORDER BY id"
    ).fetchall()
    assert len(audit) == 2  # no audit row lost
    assert {a[0] for a in audit} == {f"slack:{STAFF_1}", f"slack:{STAFF_2}"}
    first, second = audit
    assert first[1] is None and second[1] == first[2]  # the later one replaced the earlier one's value
    final = db.execute(
        "SELECT value, entered_by FROM kpi_actuals WHERE kpi_id = 'tourism-spending'"
    ).fetchall()
    assert final == [(second[2], second[0])]  # the later one wins
    db.close()


def test_kpi_show_has_the_history_table(rig: SlackRig):
    _confirm(rig, _set(rig, "待機児童数 2022 0 4月1日時点"))
    _, url = rig.command("/kpi", "show 待機児童")
    [post] = rig.posts_to(url)
    text = _all_text(post)
    assert "保育所など利用待機児童数［waiting-children］" in text
    table = next(b["text"]["text"] for b in post.body["blocks"] if b["text"]["text"].startswith("```"))
    assert "第1期 実績" in table and "第2期 基準値" in table and "第2期 目標" in table
    assert "実績（職員入力）" in table and f"<@{STAFF_1}>" in table
    assert "直近の変更" in text


def test_kpi_list_and_goal_filter(rig: SlackRig):
    _, url = rig.command("/kpi", "list")
    [post] = rig.posts_to(url)
    assert "KPI一覧（17件" in _all_text(post)
    _, url = rig.command("/kpi", "list 2")
    [post] = rig.posts_to(url)
    text = _all_text(post)
    assert "基本目標2のKPI" in text and "待機児童数" in text and "市内総生産" not in text
    _, url = rig.command("/kpi", "list 9")
    [post] = rig.posts_to(url)
    assert "見つかりません" in _all_text(post)


def test_citizens_answer_shows_the_new_actual_at_once(rig: SlackRig):
    _confirm(rig, _set(rig, "元気な高齢者の割合 2022 78.5"))
    assert (
        rig.event(
            {
                **rig.load_fixture("message_im.json"),
                "text": "元気な高齢者の割合の実績は？",
                "user": "UCITIZEN9",
            }
        ).status_code
        == 200
    )
    [post] = rig.fake.wait_for(api("chat.postMessage"))
    text = _all_text(post)
    assert "78.5" in text and "2022" in text, text


def test_meeting_commands(rig: SlackRig):
    day = (dt.datetime.now(JST) + dt.timedelta(days=45)).date()
    _, url = rig.command(
        "/meeting", f"add {day.isoformat()} 14:00 市役所本庁舎14階会議室 KPIの進捗確認; 次期戦略について"
    )
    [post] = rig.posts_to(url)
    text = _all_text(post)
    assert "会議を登録しました" in text and f"{day.month}月{day.day}日" in text
    db = rig.db()
    [(meeting_id, starts_at, created_by)] = db.execute(
        "SELECT id, starts_at, created_by FROM staff_meetings WHERE place = '市役所本庁舎14階会議室'"
    ).fetchall()
    assert starts_at == f"{day.isoformat()}T14:00+09:00" and created_by == f"slack:{STAFF_1}"
    _, url = rig.command("/meeting", "list")
    [post] = rig.posts_to(url)
    assert f"［ID: {meeting_id}］" in _all_text(post)
    _, url = rig.command("/meeting", f"cancel {meeting_id}")
    [post] = rig.posts_to(url)
    assert "取り消しました" in _all_text(post)
    assert db.execute("SELECT status FROM staff_meetings WHERE id = ?", [meeting_id]).fetchone() == (
        "cancelled",
    )
    db.close()


def test_meeting_form(rig: SlackRig):
    rig.command("/meeting", "add")
    [opened] = rig.fake.wait_for(api("views.open"))
    view = opened.body["view"] if isinstance(opened.body["view"], dict) else json.loads(opened.body["view"])
    assert view["callback_id"] == "meeting_add" and view["private_metadata"] == "C0STAFF001"
    assert opened.body["trigger_id"].startswith("trigger.")
    submission = rig.load_fixture("view_submission.json")
    values = submission["view"]["state"]["values"]
    # a past date is refused next to its field
    values["date"]["date"]["selected_date"] = "2020-01-06"
    resp = rig.interactive(submission)
    assert resp.status_code == 200
    assert resp.json()["response_action"] == "errors" and "date" in resp.json()["errors"]
    day = (dt.datetime.now(JST) + dt.timedelta(days=60)).date()
    values["date"]["date"]["selected_date"] = day.isoformat()
    values["place"]["place"]["value"] = "市役所別館8階会議室"
    resp = rig.interactive(submission)
    assert resp.status_code == 200 and resp.content in (b"", b"{}")
    [note] = rig.fake.wait_for(api("chat.postEphemeral"))
    assert note.body["user"] == STAFF_1 and note.body["channel"] == "C0STAFF001"
    db = rig.db()
    row = db.execute("SELECT agenda FROM staff_meetings WHERE place = '市役所別館8階会議室'").fetchone()
    assert json.loads(row[0]) == ["KPIの進捗確認", "次期戦略について"]
    # someone who is not staff cannot submit it
    submission["user"]["id"] = "UOUTSIDE1"
    values["place"]["place"]["value"] = "不正な会議室"
    resp = rig.interactive(submission)
    assert resp.json()["response_action"] == "errors"
    assert db.execute("SELECT count(*) FROM staff_meetings WHERE place = '不正な会議室'").fetchone() == (0,)
    db.close()


def test_strategy_unanswered_lists_what_citizens_asked(rig: SlackRig):
    for _ in range(2):
        rig.event(
            {**rig.load_fixture("message_im.json"), "text": "ゴミの収集日はいつ？", "user": "UCITIZEN7"}
        )
    rig.fake.wait_for(api("chat.postMessage"), count=2)
    db = rig.db()  # both questions were recorded before their answers were posted; make sure
    try:
        deadline = time.monotonic() + 60
        query = "SELECT COUNT(*) FROM unanswered WHERE text LIKE '%ゴミの収集日%'"
        while db.execute(query).fetchone()[0] < 2:
            assert time.monotonic() < deadline, "the unanswered questions were not recorded"
            time.sleep(0.02)
    finally:
        db.close()
    _, url = rig.command("/strategy", "unanswered 7")
    [post] = rig.posts_to(url)
    text = _all_text(post)
    assert "答えられなかった質問" in text
    assert "ゴミの収集日" in text


def test_a_confirmation_works_only_for_whom_it_was_shown_and_only_for_what_it_showed(rig: SlackRig):
    db = rig.db()
    button = _set(rig, "出生数 2019 6,800", user=STAFF_1)
    assert "code" in json.loads(button["value"]) and "entry" not in json.loads(button["value"])
    assert T.CONFIRM_OTHER_USER in _all_text(_confirm(rig, button, user=STAFF_2))
    # someone else records a value for the same KPI and year after the preview was shown: the confirm
    # still writes (both audited, the later wins) and says which value it overwrote
    _confirm(rig, _set(rig, "出生数 2019 6,700", user=STAFF_2), user=STAFF_2)
    written = _all_text(_confirm(rig, button, user=STAFF_1))
    assert "記録しました" in written and "確認を表示したあとで" in written and "6,700" in written
    row = db.execute("SELECT value FROM kpi_actuals WHERE kpi_id = 'births' AND year = 2019").fetchone()
    assert row == (6800.0,)
    assert T.CONFIRM_ALREADY_USED in _all_text(_confirm(rig, button, user=STAFF_1))
    db.close()


def test_a_replayed_signed_meeting_add_creates_one_meeting(rig: SlackRig):
    import urllib.parse

    db = rig.db()
    before = db["staff_meetings"].count
    fields = rig.load_fixture("slash_command.json")
    fields.update(
        command="/meeting",
        text=f"add {(dt.date.today() + dt.timedelta(days=200)).isoformat()} 10:00 市役所本庁舎 議題A",
        user_id=STAFF_1,
        response_url=rig.response_url(),
    )
    body = urllib.parse.urlencode(fields).encode()
    ts = int(time.time())
    for _ in range(3):  # the very same signed request, three times inside the 5-minute window
        assert rig.post(body, "application/x-www-form-urlencoded", timestamp=ts).status_code == 200
    [reply] = rig.posts_to(fields["response_url"])
    assert db["staff_meetings"].count == before + 1, _all_text(reply)
    # a new request (its own timestamp) with the same text is a new command
    assert rig.post(body, "application/x-www-form-urlencoded", timestamp=ts + 1).status_code == 200
    rig.posts_to(fields["response_url"], count=2)
    assert db["staff_meetings"].count == before + 2
    db.close()
