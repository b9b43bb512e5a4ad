"""Rank every record for a question and say how sure we are.

Signals, all on token features of the same analyzer:

- *phrase*: the question contains a name of the record (a title, term, alias, keyword or synonym):
  exactly; quoted in part (a long title); by kana reading (「たいきじどう」, an IME slip such as
  「待機自動」, but never a homophone of a word the strategy itself uses: 企業 is not 起業); as the
  same set of topic lemmas in any conjugation (「会社を始めたい」); or with one typo. Longer names
  count more, and a name inside a longer matched name does not count on its own;
- *bm25*: BM25F over topic lemmas, names weighing three times the body, plus adjacent word pairs;
- *coverage*: the IDF-weighted share of the question's topic words the record accounts for. A word
  the strategy never uses costs fully when left unexplained (「住民票の取り方」 is not covered by a
  record that mentions 住民); a common word it does use costs less (「学校での」いじめ対策);
- *affinity*: how well the record's answer kind fits the intent (a definition, a KPI figure…).

``confidence`` is coverage tempered by match strength, lowered when the owner in 「XのY」 is left
unexplained (「市長の任期」 is not the 委員's 任期); below a threshold the bot declines.
"""

from __future__ import annotations

import re
from collections import defaultdict

from nlp.analyze import FRAME_LEMMAS, INTENT_LEMMAS, Analyzed
from nlp.candidate import Candidate, Match, Topic, match_strength, share_explained
from nlp.clauses import SENTENCE_END, ask_span
from nlp.index import Doc, Index
from nlp.intent import Intent
from nlp.normalize import compact, compact_piece, is_kana, loose_kana
from nlp.phrases import _find, _outermost, _partial, _scan
from nlp.tokenize import Token

TYPE_FACTOR = {"exact": 1.0, "partial": 0.9, "reading": 0.9, "lemmas": 0.85, "fuzzy": 0.7}
NAME_WEIGHT, BODY_WEIGHT = 3.0, 1.0
BIGRAM_WEIGHT = 0.3  # two question words side by side in a record (「家庭教育」) say a lot
VERB_WEIGHT, ADJECTIVE_WEIGHT = 0.35, 0.7
IMPLIED_WEIGHT = 0.5
UNEXPLAINED_KNOWN = 0.6
CONTEXT_MISS = 0.05  # an unexplained word of the asker's situation, before the question itself
ENGLISH_MISS = 0.3  # an English word no record uses (verbs and fillers the tagger calls nouns)
POSSESSOR_UNEXPLAINED = 0.7
_ASPECT_NOUNS = frozenset({"kpi"})  # 「…人数のKPIは？」 asks the KPI of it, not another's
OWNED_IDF = 0.5  # of the median: a word this common owned by another (「一般の人」) makes no owner
_K1, _B = 1.2, 0.6


def _len_factor(n: int) -> float:
    return min(1.0, 0.5 + 0.1 * n)


def _topics(index: Index, q: Analyzed) -> list[Topic]:
    out: list[Topic] = []
    seen: set[str] = set()  # a word asked twice counts once
    c = r = 0
    asked_from, asked_to = ask_span(q.tokens, q.normalized)
    # a word said in the situation and again in the question itself is asked (「大学と組んで…大学との
    # 連携で製品になった件数は？」)
    asked = {t.lemma.casefold() for t in q.tokens[asked_from:asked_to]}
    for position, t in enumerate(q.tokens):
        clen = len(compact_piece(t.surface))
        readable = t.pos1 not in ("補助記号", "空白") or any(is_kana(ch) for ch in t.surface)
        rlen = len(loose_kana(t.reading)) if readable else 0
        lemma = t.lemma.casefold()
        if (
            t.content
            and t.lemma not in INTENT_LEMMAS
            and t.surface not in INTENT_LEMMAS
            and t.lemma not in FRAME_LEMMAS
            and lemma not in seen
        ):
            seen.add(lemma)
            if t.pos2 == "数詞":
                idf = 0.5 * index.idf_of(lemma, False)
            elif t.pos1 == "動詞":  # predicates say little about the topic: 増やす, 困る, 始める
                idf = VERB_WEIGHT * index.idf_of(lemma, False)
            elif t.pos1 == "形容詞":
                idf = ADJECTIVE_WEIGHT * index.idf_of(lemma, False)
            else:
                idf = index.idf_of(lemma, t.pos1 in ("名詞", "形状詞"))
            if not t.surface:  # a word implied, not written (「ベトナムから来て」: 外国)
                idf *= IMPLIED_WEIGHT
            # a word the strategy uses elsewhere is often context (「学校での」いじめ対策)
            common = lemma in index.vocabulary and index.idf[lemma] < index.median_idf
            miss = UNEXPLAINED_KNOWN * idf if common else idf
            context = not asked_from <= position < asked_to and lemma not in asked
            known = lemma in index.vocabulary
            if context:  # the asker's situation: it may be explained, need not be
                miss = CONTEXT_MISS * idf
            elif not known and t.surface.isascii() and t.surface.isalpha():
                miss = ENGLISH_MISS * idf  # English is wordy: 「By when should … reach …」
            nxt = q.tokens[position + 1] if position + 1 < len(q.tokens) else None
            act = t.pos3 == "サ変可能" and nxt is not None and nxt.lemma in ("為る", "出来る")
            thing = t.pos1 == "名詞" and not act
            out.append(Topic(t, lemma, idf, (c, c + clen), (r, r + rlen), miss, context, known, thing))
        c += clen
        r += rlen
    return out


SHORTLIST = 40


AFFINITY = {
    # intent -> answer group -> factor
    "definition": {"glossary": 1.6, "kpi": 0.75, "policy": 1.0, "overview": 1.0, "committee": 1.0},
    "kpi": {"glossary": 0.6, "kpi": 1.6, "policy": 0.85, "overview": 0.9, "committee": 0.8},
    "policy": {"glossary": 0.7, "kpi": 0.75, "policy": 1.35, "overview": 1.1, "committee": 0.8},
    "committee": {"glossary": 0.6, "kpi": 0.6, "policy": 0.6, "overview": 0.8, "committee": 1.8},
    # without a cue a term is defined only when nothing else is named as strongly
    "none": {"glossary": 0.98, "kpi": 1.0, "policy": 1.0, "overview": 1.0, "committee": 1.0},
}


def _affinity(intent: Intent, group: str) -> float:
    factor = 1.0
    active = []
    if intent.definition:
        active.append("definition")
    if (intent.kpi or intent.kpi_word) and not intent.definition:
        active.append("kpi")
    if intent.policy and not intent.definition:
        active.append("policy")
    if intent.committee:
        active.append("committee")
    for name in active or ["none"]:
        factor *= AFFINITY[name][group]
    return factor


# records about the first term alone (its 施策's reviews): ranked only when the first term, or why a
# figure went as it did, is asked; otherwise this term's records answer (their figures still can be
# quoted by ``handlers.passage``)
RETROSPECTIVE = frozenset({"review"})


def rank(index: Index, q: Analyzed, intent: Intent, *, limit: int = 12) -> list[Candidate]:
    topics = _topics(index, q)
    qset = {t.lemma for t in topics}
    matches: dict[int, list[Match]] = defaultdict(list)

    found = _find(q.compact, index.by_compact, index.phrase_lengths, 2)
    whole = {pid for _, _, pid in found}
    partial = {(s, e, pid) for s, e, pid in _partial(index, q.compact) if pid not in whole}
    exact = _outermost(found + sorted(partial))
    exact_pids = set()
    for s, e, pid in exact:
        ph = index.phrases[pid]
        exact_pids.add(pid)
        if (s, e, pid) in partial:
            share = (e - s) / len(ph.compact)
            strength = ph.weight * TYPE_FACTOR["partial"] * _len_factor(e - s) * (0.6 + 0.4 * share)
            matches[ph.doc].append(Match(pid, "partial", s, e, strength))
        else:
            strength = ph.weight * TYPE_FACTOR["exact"] * _len_factor(e - s)
            matches[ph.doc].append(Match(pid, "exact", s, e, strength))

    typed_in_kana = bool(_KANA_TEXT.match(q.compact))
    for s, e, pid in _scan(q.reading, index.by_reading, index.reading_lengths, 3):
        if pid in exact_pids:
            continue
        if not typed_in_kana and not any(t.rspan[0] < e and s < t.rspan[1] for t in topics):
            continue
        inside = [t for t in q.tokens if _overlaps(t, s, e, q)]
        if e - s < 4 and not all(_KANA_ONLY.match(t.surface) for t in inside):
            continue  # three kana match by chance inside kanji readings; only typed kana counts
        words = [t for t in inside if t.content]
        one_known_word = len(words) == 1 and words[0].lemma.casefold() in index.vocabulary
        typed_kana = any(_KANA_ONLY.match(t.surface) and t.pos1 != "助詞" for t in inside)
        if one_known_word and not _KANA_ONLY.match(words[0].surface) and not typed_kana:
            continue  # 企業 read as キギョウ is not 起業: a homophone replaces only words the strategy lacks
        read_as_kana = [w for w in words if _LATIN_WORD.match(w.surface) and w.reading != w.surface]
        if read_as_kana and all(w.lemma.casefold() in index.vocabulary for w in read_as_kana):
            continue  # romaji read as kana stands only for words the English names lack (not Kumamoto)
        ph = index.phrases[pid]
        strength = ph.weight * TYPE_FACTOR["reading"] * _len_factor(max(e - s - 1, len(ph.compact)))
        matches[ph.doc].append(Match(pid, "reading", s, e, strength))

    for s, e, pid, share in _romaji_in_readings(index, q, topics):
        if pid in exact_pids:
            continue
        ph = index.phrases[pid]
        strength = ph.weight * TYPE_FACTOR["reading"] * _len_factor(len(ph.compact)) * share
        matches[ph.doc].append(Match(pid, "reading", s, e, strength))

    counts: dict[int, int] = defaultdict(int)
    for lemma in qset:
        for pid in index.by_lemma.get(lemma, ()):
            counts[pid] += 1
    # the topic words inside each exact match: a lemma-set match drawn from one of them alone is
    # the same words read again (「検証委員会」 is not 「検証委員会の委員」)
    inside_exact = [{t.lemma for t in topics if s <= t.cspan[0] and t.cspan[1] <= e} for s, e, _ in exact]
    places = _lemma_places(q.tokens)
    for pid, n in counts.items():
        ph = index.phrases[pid]
        if any(ph.lemmas <= words for words in inside_exact):
            continue
        if n == len(ph.lemmas) and pid not in exact_pids and _said_together(ph.lemmas, places):
            strength = ph.weight * TYPE_FACTOR["lemmas"] * _len_factor(len(ph.compact))
            matches[ph.doc].append(Match(pid, "lemmas", -1, -1, strength))

    covered = [(s, e) for s, e, pid in exact if (s, e, pid) not in partial]
    # a typo leaves a word the strategy never uses: only then look for names one edit away
    suspect = any(
        t.lemma not in index.vocabulary and not any(s <= t.cspan[0] and t.cspan[1] <= e for s, e in covered)
        for t in topics
        if t.token.pos1 == "名詞" and t.token.pos2 != "数詞"
    )
    if suspect and len(q.compact) <= 48:
        exclude = {index.phrases[pid].compact for pid in exact_pids}
        for s, e, phrase in index.fuzzy.find(q.compact, exclude):
            if any(s < e2 and s2 < e for s2, e2 in covered):
                continue  # part of the window is already a known name: not a typo of another
            for pid in index.by_compact.get(phrase, ()):
                ph = index.phrases[pid]
                strength = ph.weight * TYPE_FACTOR["fuzzy"] * _len_factor(len(phrase))
                matches[ph.doc].append(Match(pid, "fuzzy", s, e, strength))

    # coverage: topic words each record contains, or that a name it matched spans
    covers: dict[int, dict[int, float]] = defaultdict(dict)
    for k, t in enumerate(topics):
        for i in index.postings.get(t.lemma, ()):
            covers[i][k] = t.idf
    for i, ms in matches.items():
        got = covers[i]
        for k, t in enumerate(topics):
            if k not in got and _spanned(t, ms, index):
                got[k] = t.idf

    _soft_cover(index, topics, covers)
    total_idf = sum(t.idf for t in topics)
    affinity = {g: _affinity(intent, g) for g in AFFINITY["none"]}
    # a cheap bound first; the full score only for the most promising records
    shortlist = []
    # the first term named, a reason asked, or a year of the first term (2015–2019) asked about
    looking_back = intent.first_term_named or intent.reason or any(2015 <= y <= 2019 for y in intent.years)
    for i, got in covers.items():
        if index.docs[i].kind in RETROSPECTIVE and not looking_back:
            continue  # the first term's reviews answer questions about the first term (or why)
        coverage = share_explained(topics, got) if topics else (1.0 if i in matches else 0.0)
        phrase = max((m.strength for m in matches.get(i, ())), default=0.0)
        bound = (
            affinity[index.docs[i].group]
            * (0.6 * phrase + 0.6 * coverage)
            * (0.2 + 0.8 * coverage * coverage)
        )
        shortlist.append((bound, i, coverage, phrase))
    shortlist.sort(reverse=True)

    possessors = _possessors(index, q, topics)
    qbigrams = set(q.bigrams)
    out: list[Candidate] = []
    for _, i, coverage, phrase in shortlist[:SHORTLIST]:
        doc = index.docs[i]
        ms = matches.get(i, [])
        covered = covers[i]
        # BM25F over topic lemmas
        bm = 0.0
        if total_idf:
            norm = 1 - _B + _B * index.body_len[i] / index.avg_body
            for t in topics:
                tf_n = index.name_tf[i].get(t.lemma, 0)
                tf_b = index.body_tf[i].get(t.lemma, 0)
                s_n = 1.0 if tf_n else 0.0
                s_b = tf_b * (_K1 + 1) / (tf_b + _K1 * norm) / (_K1 + 1) if tf_b else 0.0
                bm += t.idf * (NAME_WEIGHT * s_n + BODY_WEIGHT * s_b)
            bm /= total_idf * (NAME_WEIGHT + BODY_WEIGHT)
        bigram = len(qbigrams & index.bigrams[i]) / len(qbigrams) if qbigrams else 0.0
        relevance = 0.6 * phrase + 0.45 * bm + BIGRAM_WEIGHT * bigram
        score = affinity[doc.group] * relevance * (0.2 + 0.8 * coverage * coverage)
        score *= _reference_factor(intent, doc)
        confidence = coverage * match_strength(phrase, bm, doc.group, intent.policy)
        # the owner said in the record's text as the question says it (「検証委員会の会議」 of a rule of
        # the 検証委員会) is explained too
        # (the record named as the topic first, 「市民病院って、赤ちゃんの医療で…」, owns what follows)
        named_topic = _named_topic_end(ms, q.compact) if possessors else 0
        parent = index.by_id.get(doc.parent) if doc.parent else None
        # (「運営要綱の所掌事務」: 運営要綱 is the name of the rule's parent, the rules)
        said = index.compact_body[i] + ("" if parent is None else index.compact_names[parent])
        owner_unexplained = any(
            k not in covered
            and not topics[k].context  # (「中2の娘が学校に…」: the asker's own story owns nothing asked)
            and (len(owner) < 3 or owner not in said)
            and topics[k].cspan[0] < named_topic
            for k, owner in possessors
        )
        if owner_unexplained:
            confidence *= POSSESSOR_UNEXPLAINED  # 「市長の任期」 is not answered by the 委員's 任期
        out.append(
            Candidate(
                doc,
                i,
                score,
                confidence,
                coverage,
                phrase,
                bm,
                ms,
                covered,
                topics,
                owner_unexplained,
                intent.policy,
            )
        )
    out.sort(key=lambda c: (-c.score, c.index))
    return out[:limit]


LEMMA_WINDOW = 8  # a sentence's end counts as this many tokens; a name's words may be 3× apart


def _lemma_places(tokens: tuple[Token, ...]) -> tuple[dict[str, list[int]], frozenset[str]]:
    """Each topic lemma's places in the question, and the lemmas said as predicates. A place counts
    tokens, and a sentence's end as a window's length (its words are far from the next sentence's)."""
    places: dict[str, list[int]] = defaultdict(list)
    predicates = set()
    gap = 0
    for k, t in enumerate(tokens):
        if t.surface in SENTENCE_END:
            gap += LEMMA_WINDOW
        elif t.content:
            places[t.lemma.casefold()].append(k + gap)
            if t.pos1 in ("動詞", "形容詞"):
                predicates.add(t.lemma.casefold())
    return places, frozenset(predicates)


def _said_together(lemmas: frozenset[str], found: tuple[dict[str, list[int]], frozenset[str]]) -> bool:
    """Whether a name's predicate is said with its other words, in one sentence or close across two:
    「熊本の会社で働いています。日本の生活で…相談できるところを市は作って」 does not say 会社を作る.
    Nouns alone may stand apart (「大学の研究を使って…院生です。起業支援の施設は」 says 大学の研究で
    起業)."""
    places, predicates = found
    if len(lemmas) < 2 or not lemmas & predicates:
        return True
    window = LEMMA_WINDOW * 3
    first, *rest = sorted(lemmas, key=lambda w: len(places.get(w, ())))
    # every other word within ``window`` of one place of the rarest
    return any(
        all(any(abs(j - k) <= window for j in places.get(w, ())) for w in rest) for k in places.get(first, ())
    )


_KANA_ONLY = re.compile(r"^[ぁ-ゖァ-ヺー]+$")
_LATIN_WORD = re.compile(r"^[A-Za-z]+$")
_KANA_TEXT = re.compile(r"^[ぁ-ゖァ-ヺー0-9a-z]+$")


ROMAJI_PART = 6  # loose kana a romaji run must spell to match part of a name's reading
ROMAJI_SHARE = 0.6  # of the name's reading it must spell


def _romaji_in_readings(index: Index, q: Analyzed, topics: list[Topic]) -> list[tuple[int, int, int, float]]:
    """Names whose reading a run of romaji words spells most of (「teikosuto taikousei house」 is
    低コスト耐候性ハウス, テイコストタイコウセイハウス; 「soudan madoguchi」 is in 総合相談窓口): a foreign
    resident writes the Japanese part of a name in romaji and the rest in English. Only words no
    English name uses are read so; each match is (start, end) in ``q.reading``, the phrase and the
    share of its reading spelt."""
    runs: list[tuple[int, int]] = []
    start = end = -1
    for t in topics:
        w = t.token
        romaji = _LATIN_WORD.match(w.surface) and w.reading != w.surface and not t.known
        if romaji and t.rspan[0] <= end + 1 and start >= 0:
            end = t.rspan[1]
            continue
        if start >= 0:
            runs.append((start, end))
        start, end = (t.rspan[0], t.rspan[1]) if romaji else (-1, -1)
    if start >= 0:
        runs.append((start, end))
    out = []
    for s, e in runs:
        spelt = q.reading[s:e]
        if len(spelt) < ROMAJI_PART:
            continue
        for key, pids in index.by_reading.items():
            if spelt in key and len(spelt) >= ROMAJI_SHARE * len(key) and len(spelt) < len(key):
                out.extend((s, e, pid, len(spelt) / len(key)) for pid in pids)
    return out


def _overlaps(token: Token, start: int, end: int, q: Analyzed) -> bool:
    """Whether ``token``'s reading overlaps [start, end) of ``q.reading``."""
    pos = 0
    for t in q.tokens:
        length = (
            len(loose_kana(t.reading))
            if t.pos1 not in ("補助記号", "空白") or any(is_kana(c) for c in t.surface)
            else 0
        )
        if t is token:
            return pos < end and start < pos + length
        pos += length
    return False


def _named_topic_end(ms: list[Match], compact_question: str) -> int:
    """Where the record's name, set up as the sentence's topic (「市民病院って」「Xとは」), ends in the
    compact question; past the end when it is not."""
    ends = [m.end for m in ms if m.how == "exact" and compact_question[m.end : m.end + 2] in ("って", "とは")]
    return min(ends, default=len(compact_question) + 1)


SUFFIX_OWNER_IDF = 0.6  # of the median: how specific the noun before 向け must be to own what follows
_FOR_WHOM = frozenset({"向け", "向き", "用"})  # 「X向けのY」: Y meant for X (not 「運営要綱の…」)


def _possessors(index: Index, q: Analyzed, topics: list[Topic]) -> list[tuple[int, str]]:
    """Topic words that own the next one (「Xの」 before another topic word) and are specific enough
    that a record which does not mention them answers a different question; each with the whole
    noun it ends (「検証委員会」 of 「検証委員会の会議」), compact."""
    by_token = {id(t.token): k for k, t in enumerate(topics)}
    tokens = list(q.tokens)
    out = []
    for i in range(len(tokens) - 2):
        k = by_token.get(id(tokens[i]))
        if k is None or tokens[i + 1].surface != "の" or id(tokens[i + 2]) not in by_token:
            continue
        if topics[k].context:
            continue  # 「下通の近くで…」 in the asker's story owns nothing the question asks
        owned = topics[by_token[id(tokens[i + 2])]]
        if owned.idf < OWNED_IDF * index.median_idf or owned.lemma in _ASPECT_NOUNS:
            continue  # 「一般の人」「人数のKPI」: what it owns is too common, or what is asked of it
        end = i + 1
        if tokens[i].pos1 == "接尾辞" and tokens[i].surface in _FOR_WHOM:
            # 「自治会向けの防災」「地場企業向けの成長産業」: the noun before 向け owns it (in
            # 「来た人向けの家賃補助」 人 is too common to: 向け does, and nothing explains it)
            run = i
            while run > 0 and tokens[run - 1].pos1 in ("名詞", "接頭辞") and id(tokens[run - 1]) in by_token:
                run -= 1
            nouns = [by_token[id(t)] for t in tokens[run:i]]
            if nouns and max(topics[n].idf for n in nouns) >= SUFFIX_OWNER_IDF * index.median_idf:
                k, end = max(nouns, key=lambda n: topics[n].idf), i
        if topics[k].idf >= 0.7 * index.median_idf and topics[k].token.pos2 != "数詞":
            start = end - 1
            while start > 0 and tokens[start - 1].pos1 in ("名詞", "接尾辞", "接頭辞"):
                start -= 1
            if any(t.pos2 == "数詞" for t in tokens[start:end]):
                continue  # 「2番目の…」 points at an item of a list, it owns nothing
            out.append((k, compact("".join(t.surface for t in tokens[start:end]))))
    return out


def _spanned(t: Topic, ms: list[Match], index: Index) -> bool:
    for m in ms:
        if m.how == "exact":
            if m.start <= t.cspan[0] and t.cspan[1] <= m.end:
                return True
        elif m.how in ("partial", "fuzzy"):
            inside = min(m.end, t.cspan[1]) - max(m.start, t.cspan[0])
            if t.cspan[1] > t.cspan[0] and inside * 2 >= t.cspan[1] - t.cspan[0]:
                return True
        elif m.how == "reading":
            # kana input is often cut oddly by the tagger: half of the word inside is enough
            inside = min(m.end, t.rspan[1]) - max(m.start, t.rspan[0])
            if t.rspan[1] > t.rspan[0] and inside * 2 >= t.rspan[1] - t.rspan[0]:
                return True
        elif t.lemma in index.phrases[m.phrase].lemmas:
            return True
    return False


def _reference_factor(intent: Intent, doc: Doc) -> float:
    """「基本目標2の…」「プロジェクト3の…」 narrow the search to that part of the strategy."""
    factor = 1.0
    if intent.goal_ref is not None:
        if doc.goal == intent.goal_ref:
            factor *= 1.3
        elif doc.goal is not None or doc.project is not None:
            factor *= 0.35
        else:
            factor *= 0.7
    if intent.project_ref is not None:
        if doc.project == intent.project_ref:
            factor *= 1.3
        elif doc.goal is not None or doc.project is not None:
            factor *= 0.35
        else:
            factor *= 0.7
    return factor


SOFT = 0.25  # the most a near word can explain of a question word: a quarter of it


MIN_SIM = 0.5  # how near a corpus word must be (cosine) to explain part of a question word


def _soft_cover(index: Index, topics: list[Topic], covers: dict[int, dict[int, float]]) -> None:
    """The semantic backstop: a question word no record uses (八百屋) is explained in part by the
    records using the corpus words nearest to it (商店), in proportion to how near they are. Words
    the corpus uses are left to the lexical signals, and nothing is credited more than ``SOFT``."""
    unknown = [
        (k, t)
        for k, t in enumerate(topics)
        if not t.known and t.idf and t.token.pos1 in ("名詞", "動詞", "形容詞", "形状詞")
    ]
    neighbours = index.neighbours if unknown else None  # the vectors load only when needed
    if neighbours is None:
        return
    for k, t in unknown:
        for lemma, sim in neighbours.near(t.lemma, min_sim=MIN_SIM):
            credit = t.idf * SOFT * sim
            for i in index.postings.get(lemma, ()):
                if covers[i].get(k, 0.0) < credit:
                    covers[i][k] = credit
