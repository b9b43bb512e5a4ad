"""The index documents of the corpus: one ``Doc`` for each record, with the names people call it
(titles, terms, aliases, staff synonyms, everyday descriptions, English names) and its body."""

from __future__ import annotations

import re

from handlers.corpus import Corpus, _plain, _years, project_name
from handlers.documents_committee import committee_docs
from nlp.index import Doc


def build_docs(corpus: Corpus) -> list[Doc]:
    docs: list[Doc] = []

    for t in corpus.glossary:
        base = [(t["term"], 1.0), (t["reading"], 0.95)] + [(a, 0.95) for a in t["aliases"]]
        nm, groups = corpus.names(t["id"], base)
        docs.append(Doc(t["id"], "glossary", nm, t["definition"], t["source"], synonym_groups=groups))

    for k in corpus.kpis:
        years = {k["baseline_year"], k["target_year"]}
        for h in corpus.history_for_kpi(k["id"]):
            years |= {v["year"] for v in corpus.history_values if v["indicator_id"] == h["id"]}
        base = [(k["name"], 1.0), (k["short_name"] or "", 1.0)] + [(a, 0.95) for a in k["aliases"]]
        nm, groups = corpus.names(k["id"], base)
        goal = corpus.by_id[k["goal_id"]]
        body = k["name"]
        if corpus.history_for_kpi(k["id"]):
            body += "\n第1期 実績 推移"  # the first-term actuals are part of the answer
        # the figures it states, so that 「目標は7000人ですか」 is explained by this record
        figures = {k["baseline_value"], k["target_value"]}
        body += "\n" + " ".join(_plain(v) for v in sorted(figures))
        docs.append(
            Doc(
                k["id"],
                "kpi",
                nm,
                body,
                k["source"],
                goal=goal["number"],
                years=frozenset(years),
                has_dates=True,
                synonym_groups=groups,
            )
        )
    for h in corpus.history:
        if h["kpi_id"]:
            continue
        nm, groups = corpus.names(h["id"], [(h["name"], 1.0)])
        years = frozenset(v["year"] for v in corpus.history_values if v["indicator_id"] == h["id"])
        docs.append(
            Doc(
                h["id"],
                "history",
                nm,
                h["first_term_measure"] or "",
                h["source"],
                goal=corpus.goal_number(h["goal_id"]),
                years=years,
                has_dates=True,
                synonym_groups=groups,
            )
        )

    for r in corpus.first_term_reviews:
        # the first term's review of one 施策 (方向性, 課題・検証): its figures and reasons
        title = f"第1期の{r['title']}"
        base = [(title, 0.9), (f"第1期 施策{r['number']} {r['title']}", 0.9), (f"{title}の課題", 0.8)]
        nm, groups = corpus.names(r["id"], base)
        text = "\n".join([*r["direction"], *r["review"]])
        docs.append(
            Doc(
                r["id"],
                "review",
                nm,
                text,
                r["review_source"],
                goal=corpus.goal_number(r["goal_id"]),
                years=_years(text),
                synonym_groups=groups,
            )
        )
    for g in corpus.goals:
        base = [(g["slogan"], 0.9), (g["subtitle"], 0.9), ("第1期戦略の検証", 0.7), ("基本的方向", 0.7)]
        nm, groups = corpus.names(g["id"], base)
        docs.append(
            Doc(
                g["id"],
                "goal",
                nm,
                g["direction"] + "\n" + g["verification"],
                g["source"],
                goal=g["number"],
                years=_years(g["verification"]),
                synonym_groups=groups,
            )
        )
    for m in corpus.measures:
        goal_no = corpus.goal_number(m["goal_id"])
        nm, groups = corpus.names(m["id"], [(m["title"], 1.0)])
        body = "\n".join(i["title"] for i in corpus.items_of(m["id"]))
        docs.append(
            Doc(
                m["id"],
                "measure",
                nm,
                body,
                m["source"],
                goal=goal_no,
                synonym_groups=groups,
                parent=m["goal_id"],
            )
        )
    for it in corpus.items:
        goal_no = corpus.goal_number(corpus.measure_of(it)["goal_id"])
        nm, groups = corpus.names(it["id"], [(it["title"], 0.9)])
        docs.append(
            Doc(
                it["id"],
                "item",
                nm,
                "\n".join(it["bullets"]),
                it["source"],
                goal=goal_no,
                synonym_groups=groups,
                parent=it["measure_id"],
            )
        )

    for p in corpus.projects:
        base = [(project_name(p["title"]), 1.0)] + [(k, 0.3) for k in p["keywords"]]
        nm, groups = corpus.names(p["id"], base)
        docs.append(
            Doc(
                p["id"],
                "project",
                nm,
                p["overview"],
                p["source"],
                project=p["number"],
                years=_years(p["overview"]),
                synonym_groups=groups,
            )
        )
    for it in corpus.project_items:
        project_no = corpus.by_id[it["project_id"]]["number"]
        nm, groups = corpus.names(it["id"], [(it["title"], 1.0)])
        subs = corpus.subitems_of(it["id"])
        body = it["text"] or "\n".join(s["title"] for s in subs)
        docs.append(
            Doc(
                it["id"],
                "project_item",
                nm,
                body,
                it["source"],
                project=project_no,
                synonym_groups=groups,
                parent=it["project_id"],
            )
        )
    for s in corpus.project_subitems:
        item = corpus.by_id[s["item_id"]]
        project_no = corpus.by_id[item["project_id"]]["number"]
        nm, groups = corpus.names(s["id"], [(s["title"], 1.0)])
        docs.append(
            Doc(
                s["id"],
                "project_subitem",
                nm,
                s["text"],
                s["source"],
                project=project_no,
                synonym_groups=groups,
                parent=s["item_id"],
            )
        )

    for o in corpus.overview:
        title = re.sub(r"\s*～.*$", "", o["title"])
        base = [(title, 1.0), (o["title"], 1.0)] + [(k, 0.8) for k in o["keywords"]]
        nm, groups = corpus.names(o["id"], base)
        body = o["text"] + "\n" + "\n".join(o["facts"])
        years = _years(body)
        docs.append(
            Doc(
                o["id"],
                "overview",
                nm,
                body,
                o["source"],
                years=years,
                has_dates=bool(years),
                synonym_groups=groups,
            )
        )
    for s in corpus.promotion:
        base = [(s["title"], 1.0)] + [(k, 0.8) for k in s["keywords"]]
        nm, groups = corpus.names(s["id"], base)
        years = _years(s["text"])
        docs.append(
            Doc(
                s["id"],
                "promotion",
                nm,
                s["text"],
                s["source"],
                years=years,
                has_dates=bool(years),
                synonym_groups=groups,
            )
        )

    docs += committee_docs(corpus)

    if corpus.goals:
        docs.append(
            Doc(
                "goals",
                "goals",
                [("基本目標", 0.9), ("基本戦略", 0.9), ("basic goals", 0.9), ("basic strategy", 0.9)],
                "\n".join(g["slogan"] + " " + g["subtitle"] for g in corpus.goals),
                "２ 基本戦略",
            )
        )
    if corpus.projects:
        docs.append(
            Doc(
                "projects",
                "projects",
                [("リーディングプロジェクト", 1.0), ("leading projects", 0.95)],
                "\n".join(project_name(p["title"]) for p in corpus.projects),
                "３ リーディングプロジェクト",
            )
        )
    return docs
