"""The index documents of the 検証委員会: the committee, its members, rules, meetings and the
public comment."""

from __future__ import annotations

from handlers.corpus import Corpus, _years
from nlp.index import Doc


def committee_docs(corpus: Corpus) -> list[Doc]:
    docs: list[Doc] = []
    c = corpus.committee
    # rules, members and meetings are the committee's: a question naming it still fits them
    context = "\n検証委員会" if c else ""
    if c:
        nm, groups = corpus.names(
            c["id"], [(c["name"], 1.0), ("総合戦略検証委員会", 1.0), ("検証委員会", 1.0)]
        )
        docs.append(
            Doc(
                c["id"],
                "committee",
                nm,
                c["purpose"],
                c["source"],
                years=_years(c["purpose"]),
                synonym_groups=groups,
            )
        )
        docs.append(
            Doc(
                "committee-members",
                "members",
                [
                    ("委員名簿", 1.0),
                    ("委員", 1.0),
                    ("委員の人数", 1.0),
                    ("委員の数", 1.0),
                    ("委員一覧", 1.0),
                    ("メンバー", 1.0),
                    ("committee members", 0.95),  # our English names of the lists
                    ("members of the committee", 0.95),
                    ("number of members", 0.9),
                    ("who is on the committee", 0.9),
                    ("委嘱期間", 1.0),
                    ("appointment period", 0.95),  # the members' 委嘱期間
                    ("term of appointment", 0.9),
                    ("commission period", 0.9),
                ],
                # the roster's heading as printed: 「検証委員会の委員（8名 50音順 敬称略）」
                f"検証委員会の委員（{c['roster_note']}）\n"
                + "\n".join(m["affiliation"] for m in corpus.members)
                + context,
                corpus.members[0]["source"] if corpus.members else c["source"],
                is_person=True,
                has_dates=True,
            )
        )
        amended = f"改正：{c['rules_amended']}" if c["rules_amended"] else ""
        enacted = "\n".join([f"制定：{c['rules_enacted']}", amended, *c["rules_supplementary"]])
        docs.append(
            Doc(
                "committee-rules",
                "rules",
                [
                    (c["rules_title"], 1.0),
                    ("運営要綱", 1.0),
                    ("要綱", 0.9),
                    ("committee rules", 0.95),
                    ("rules of the committee", 0.95),
                ],
                enacted + context,
                "参考資料 > 検証委員会運営要綱",
                years=_years(enacted),
                has_dates=True,
            )
        )
    for m in corpus.members:
        full = m["name"].replace(" ", "").replace("\u3000", "")
        surname = m["name"].split()[0] if " " in m["name"] else full[:2]
        reading = m["reading"].replace(" ", "")
        base = [(m["name"], 1.0), (full, 1.0), (reading, 0.95), (surname, 0.9), (surname + "委員", 1.0)]
        nm, groups = corpus.names(m["id"], base)
        docs.append(
            Doc(
                m["id"],
                "member",
                nm,
                m["affiliation"] + "\n所属 委嘱期間" + context,
                m["source"],
                years=frozenset({int(m["term_start"][:4]), int(m["term_end"][:4])}),
                has_dates=True,
                is_person=True,
                synonym_groups=groups,
            )
        )
    for r in corpus.rules:
        base = [(r["title"], 1.0), (f"第{r['number']}条", 1.0)] + [(t, 0.7) for t in r["topics"]]
        nm, groups = corpus.names(r["id"], base)
        docs.append(
            Doc(
                r["id"],
                "rule",
                nm,
                r["text"] + context,
                r["source"],
                parent="committee-rules",
                synonym_groups=groups,
            )
        )
    if corpus.meetings:
        docs.append(
            Doc(
                "committee-meetings",
                "meetings",
                [
                    ("策定経過", 1.0),
                    ("検証委員会の開催", 1.0),
                    ("committee meetings", 0.95),
                    ("past meetings", 0.9),
                ],
                "\n".join(a for mt in corpus.meetings for a in mt["agenda"]) + context,
                "参考資料 > 第2期総合戦略の策定過程 > (1) 策定経過",
                years=frozenset(int(mt["date"][:4]) for mt in corpus.meetings),
                has_dates=True,
            )
        )
    for mt in corpus.meetings:
        n = mt["number"]
        base = [(f"第{n}回検証委員会", 1.0), (f"第{n}回", 0.9)]
        nm, groups = corpus.names(mt["id"], base)
        docs.append(
            Doc(
                mt["id"],
                "meeting",
                nm,
                mt["place"] + "\n" + "\n".join(mt["agenda"]) + context,
                mt["source"],
                years=frozenset({int(mt["date"][:4])}),
                has_dates=True,
                synonym_groups=groups,
            )
        )
    pc = corpus.public_comment
    if pc:
        base = [(pc["title"], 1.0), ("パブリックコメント", 1.0), ("パブコメ", 1.0), ("市民意見聴取", 1.0)]
        base += [("public comment", 1.0), ("public comments", 1.0)]
        nm, groups = corpus.names(pc["id"], base)
        docs.append(
            Doc(
                pc["id"],
                "public_comment",
                nm,
                pc["title"],
                pc["source"],
                years=frozenset({int(pc["start"][:4]), int(pc["end"][:4])}),
                has_dates=True,
                synonym_groups=groups,
            )
        )

    return docs
