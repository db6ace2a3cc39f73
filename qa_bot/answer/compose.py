"""Turn a ranking and the checks' verdict into the answer: three outcomes (quotes that
answer; possibly relevant passages set apart, with what they lack; nothing), the phrase
that answers marked inside each quote, every quote with its provenance."""

from __future__ import annotations

import re

import numpy as np

from qa_bot.answer import lexicon as lx
from qa_bot.answer.changes import MEASURES, asked_change
from qa_bot.answer.checks.registry import Verdict
from qa_bot.answer.dating import lengths_of_time
from qa_bot.answer.facts import Facts, Gathered
from qa_bot.answer.lexicon import alt
from qa_bot.answer.query import Query
from qa_bot.answer.ranking import Ranking
from qa_bot.answer.scope import who
from qa_bot.answer.selection import SelectionModel
from qa_bot.answer.typed import countries, typed_entities
from qa_bot.index.load import Index
from qa_bot.ingest.speakers import speaker_name
from qa_bot.text import STOPWORDS, stem, terms, words
from qa_bot.types import CONFIDENT, UNCERTAIN, Answer, Quote, Sentence

REFUSAL = "The documents don't answer this question."
NO_STATEMENT = "{who} has no statement in these documents."
POSSIBLE = "The documents may not answer this: the closest passages are below, not an answer."
# A sentence that opens like this leans on the one before: the quote includes it.
_DEPENDENT = re.compile(rf"^{alt(lx.LEANING_OPENINGS)}\b")


def compose(
    gathered: Gathered,
    ranking: Ranking,
    verdict: Verdict,
    model: SelectionModel,
    top_k: int,
    min_confidence: float,
) -> Answer:
    """Quotes for the ranked sentences, or a refusal with related passages set apart.

    The best sentence answers when the confidence reaches ``min_confidence`` and no check
    vetoes it (``verdict``, the checks run on it); with ``min_confidence`` 0 it is always
    given, and ``Answer.lacks`` says why ``ask`` would not have answered."""
    index, query = gathered.index, gathered.query
    asked = query.typed
    if not len(ranking):
        return Answer(asked, False, message=REFUSAL, notes=query.notes)
    best = ranking.scores[0]
    top = gathered(ranking.sentence_ids[0])
    vetoed = verdict.vetoed
    if ranking.confidence < min_confidence or (vetoed and min_confidence > 0):
        if ranking.confidence < min(model.possible_threshold, min_confidence):
            return Answer(asked, False, message=REFUSAL, confidence=ranking.confidence,
                          notes=query.notes, checks=verdict.ids)  # fmt: skip
        near = [
            (sid, score)
            for sid, score in zip(ranking.sentence_ids, ranking.scores, strict=True)
            if score >= best - model.related_gap
        ]
        related = tuple(quote_of(index, [sid], score) for sid, score in _distinct(index, near, 3))
        return Answer(
            asked, False, related=related, message=POSSIBLE, confidence=ranking.confidence,
            notes=query.notes, lacks=reason(verdict, top), checks=verdict.ids,
        )  # fmt: skip
    by_id = dict(zip(ranking.sentence_ids, ranking.scores, strict=True))
    picks: list[tuple[list[int], int, float]] = []
    for sid, score in zip(ranking.sentence_ids, ranking.scores, strict=True):
        if len(picks) >= top_k or score < best - model.related_gap:
            break
        if any(_touches(index, sid, ids) for ids, _, _ in picks):
            continue
        ids = _expand(index, sid, by_id, best - model.merge_gap)
        if top.date_line is not None and not picks:  # from the date line down to the item
            ids, sid = [*range(top.date_line, ids[0]), *ids], top.date_line
        picks.append((ids, sid, score))
    return Answer(
        asked,
        True,
        # The phrase that answers is marked in the answer's quote only: a further quote
        # supports it, and an entity of the asked kind there answers something else.
        quotes=tuple(
            quote_of(index, ids, score, query if not n else None, sid)
            for n, (ids, sid, score) in enumerate(picks)
        ),
        confidence=ranking.confidence,
        certainty=CONFIDENT if ranking.confidence >= model.confident_threshold else UNCERTAIN,
        notes=query.notes,
        # Set only when the bar is off (min_confidence 0): why ask() would not answer.
        lacks=reason(verdict, top) if vetoed else "",
        checks=verdict.ids,
    )


def no_statement(query: Query) -> Answer:
    """The answer to a question about what a party said that no document reports."""
    said = NO_STATEMENT.format(who=who(query))
    said = said[:1].upper() + said[1:]  # "The Chinese government has no statement ..."
    return Answer(query.typed, False, message=said, notes=query.notes, lacks=said,
                  checks=("speaker",))  # fmt: skip


def who_is_meant(index: Index, query: Query) -> Answer:
    """The answer to a question that leans on a pronoun nothing resolves: who is meant?"""
    example = speaker_name(index.speakers[0]) if index.speakers else "the speaker"
    said = (f"Who do you mean by “{query.unresolved}”? Ask with their name, for example: "
            f"“What did {example} say about …?”")  # fmt: skip
    return Answer(query.typed, False, message=said, notes=query.notes)


UNSURE = "it may answer, but the bot is not sure enough to say so"


def reason(verdict: Verdict, facts: Facts) -> str:
    """What the sentence does not say, in plain words: the first check's reason ("no place
    is named"), else the question's words its passage never uses ("the passage does not
    mention climate"); never empty: with nothing missing, that the evidence falls short."""
    return verdict.reason or unmentioned(facts) or UNSURE


def unmentioned(facts: Facts) -> str:
    """ "the passage does not mention X, Y": the question's words that the sentence's passage, its
    heading and its speaker never use. Not the words that name the kind asked ("how many",
    "which city": the sentence may hold one), nor, when a change is asked, the words that
    only measure it ("victim numbers")."""
    query = facts.query
    passage = facts.passage
    present = (
        set(terms(f"{passage.embedding_text()} {passage.speaker or ''}")) if passage else set()
    )
    measures = MEASURES if asked_change(query) else frozenset()
    missing = [w for w in words(query.text) if w not in STOPWORDS and stem(w) in query.terms
               and stem(w) not in query.cue_terms and stem(w) not in present
               and stem(w) not in measures]  # fmt: skip
    if not missing:
        return ""
    return "the passage does not mention " + ", ".join(dict.fromkeys(missing))


def _names(query: Query, word: str) -> bool:
    """Is ``word`` part of the speaker's or party's name the question gives?"""
    return word in who(query).lower().split()


def _touches(index: Index, sid: int, quote: list[int]) -> bool:
    """Inside an existing quote, or adjacent to it in the same passage."""
    if quote[0] <= sid <= quote[-1]:
        return True
    ends = {index.sentences[quote[0]].passage_id, index.sentences[quote[-1]].passage_id}
    return index.sentences[sid].passage_id in ends and quote[0] - 1 <= sid <= quote[-1] + 1


def _expand(index: Index, sid: int, scores: dict[int, float], floor: float) -> list[int]:
    """Add the sentence before when this one depends on it, and after when it scores as well."""
    ids = [sid]
    sentence = index.sentences[sid]
    siblings = index.passages[sentence.passage_id].sentence_ids
    pos = siblings.index(sid)
    if pos > 0 and _DEPENDENT.match(sentence.text):
        ids.insert(0, siblings[pos - 1])
    if pos + 1 < len(siblings) and scores.get(siblings[pos + 1], -np.inf) >= floor:
        ids.append(siblings[pos + 1])
    return ids


def _distinct(index: Index, scored: list[tuple[int, float]], n: int) -> list[tuple[int, float]]:
    seen: set[int] = set()
    out = []
    for sid, score in scored:
        pid = index.sentences[sid].passage_id
        if pid not in seen:
            seen.add(pid)
            out.append((sid, score))
        if len(out) == n:
            break
    return out


def quote_of(
    index: Index,
    ids: list[int],
    score: float = 0.0,
    query: Query | None = None,
    answering: int | None = None,
) -> Quote:
    """The quote made of consecutive sentences ``ids``, with its provenance; with the
    ``query``, the phrase of sentence ``answering`` (default: the first) that holds the
    kind of thing asked is marked (Quote.answer_start/answer_end). Its context is its
    passage, or the passages it spans (a date line and the item it dates)."""
    first, last = index.sentences[ids[0]], index.sentences[ids[-1]]
    passage, final = index.passages[first.passage_id], index.passages[last.passage_id]
    context = passage.text
    if final.id != passage.id and first.document in index.texts:
        context = index.texts[first.document][passage.start : final.end]
    spans: list[tuple[int, int]] = []
    if query is not None and (query.labels or query.form("country")):
        target = answering if answering in ids else ids[0]
        offset = sum(len(index.sentences[i].text) + 1 for i in ids[: ids.index(target)])
        spans = [(a + offset, b + offset) for a, b in answer_spans(query, index.sentences[target])]
    span = spans[0] if spans else (None, None)
    return Quote(
        text=" ".join(index.sentences[i].text for i in ids),
        document=first.document,
        start=first.start,
        end=last.end,
        section=first.section,
        speaker=first.speaker,
        score=round(score, 4),
        context=context,
        title=passage.title,
        context_start=passage.start,
        page=index.page_of(first.document, first.start),
        answer_start=span[0],
        answer_end=span[1],
        answer_spans=tuple(spans) if len(spans) > 1 else (),
    )


def answer_span(query: Query, sentence: Sentence) -> tuple[int, int] | None:
    """The offsets in ``sentence.text`` of the entity that answers: of the asked kind, in
    the clause that shares most of the question's terms (the first such on a tie)."""
    spans = answer_spans(query, sentence)
    return spans[0] if spans else None


def answer_spans(query: Query, sentence: Sentence) -> list[tuple[int, int]]:
    """The offsets of every entity that answers: the one ``answer_span`` names, and, when
    the question asks for several ("which countries", "who are the speakers"), each other
    entity of the asked kind the sentence names, in order."""
    if query.form("country"):  # a country, not the region or the office also named
        typed = countries(query, sentence)
    else:
        typed = {k: v for k, v in typed_entities(query, sentence).items() if k[0] >= 0}
    if query.answer_type == "duration":
        typed = lengths_of_time(sentence, typed)
    if not typed:
        return []
    asked = set(query.terms)
    cover = {k: len(asked & set(terms(v))) for k, v in typed.items()}
    best = max(typed, key=lambda k: (cover[k], -k[0]))
    return sorted(typed) if query.form("asks_several") else [best]
