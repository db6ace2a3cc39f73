"""The answer pipeline, top to bottom: analyse the question, retrieve passages, gather each
candidate's facts, rank, check the best, compose the answer. No stage calls back into an
earlier one; ``QABot.ask`` (the Python API, the CLI and the chat) runs exactly this."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa_bot.answer.checks.registry import Verdict, run
from qa_bot.answer.compose import compose, no_statement, who_is_meant
from qa_bot.answer.facts import Gathered
from qa_bot.answer.query import Query, analyse
from qa_bot.answer.ranking import Ranking, rank
from qa_bot.answer.rerank import CrossEncoder
from qa_bot.answer.retrieval import PassageHit, retrieve
from qa_bot.answer.scope import held_to, statements
from qa_bot.answer.selection import SelectionModel
from qa_bot.index.load import Index
from qa_bot.types import Answer, Encode

PASSAGES_PER_QUESTION = 8


@dataclass(frozen=True)
class Retrieved:
    """A question made ready for answer selection: analysed, encoded, its passages found."""

    index: Index
    query: Query
    vector: np.ndarray
    hits: list[PassageHit]
    # The passages that may answer (a speaker's statements), or None: any passage.
    within: frozenset[int] | None = None
    # Sentences already shown in the conversation ("What else did she say?").
    shown: frozenset[int] = frozenset()
    # The documents the question is held to (paths in the corpus), or None: all of them.
    documents: frozenset[str] | None = None


def prepare(
    index: Index,
    question: str,
    history: list[str],
    encode: Encode,
    limit: int = 1000,
    referent: str = "",
    shown: frozenset[int] = frozenset(),
    speaker: str | None = None,
    documents: frozenset[str] | None = None,
) -> Retrieved | None:
    """Stages 1-2: the analysed question, its vector and its passages; None for a question
    with no text. ``referent``: the person the last answer named or quoted, whom a pronoun
    means; ``shown``: sentences the conversation has shown, which a question asking what
    else was said does not get again; ``speaker``: answer only from this speaker's
    statements (``UnknownSpeakerError`` if no speaker is meant); ``documents``: answer only
    from these documents (paths in the corpus), None for all. (Shared with the fitting
    script, so that the learned models see exactly the candidates the bot will give them.)"""
    if not isinstance(question, str) or not question.strip():
        return None
    query = analyse(question, history, index.speakers, limit, index.speller, referent)
    if not query.text:
        return None
    if speaker is not None:
        query = held_to(query, index, speaker)
    vector = encode([query.retrieval_text])[0]
    terms = list(query.terms) + list(query.context_terms if query.followup else ())
    within = statements(index, query)
    if documents is not None:
        held = frozenset(p.id for d in documents for p in index.passages_of(d))
        within = held if within is None else within & held
    hits = retrieve(index, vector, terms, k=PASSAGES_PER_QUESTION, within=within)
    more = query.followup and query.form("asks_more") is not None
    return Retrieved(index, query, vector, hits, within, shown if more else frozenset(), documents)


def answer(
    found: Retrieved,
    reranker: CrossEncoder,
    model: SelectionModel,
    *,
    encode: Encode | None,
    top_k: int,
    min_confidence: float,
    without: frozenset[str] = frozenset(),
) -> Answer:
    """Stages 3-6: gather the candidates' facts, rank them, check the best, compose."""
    if found.query.unresolved:
        return who_is_meant(found.index, found.query)
    if found.within is not None and not found.within:
        return no_statement(found.query)
    gathered = Gathered(
        found.index, found.query, encode, model.part_floor, found.within, found.shown
    )
    ranking = rank(gathered, found.vector, found.hits, reranker, model)
    return conclude(gathered, ranking, model, top_k, min_confidence, without)


def conclude(
    gathered: Gathered,
    ranking: Ranking,
    model: SelectionModel,
    top_k: int,
    min_confidence: float,
    without: frozenset[str] = frozenset(),
) -> Answer:
    """Stages 5-6 on a ranking made already (the fitting script's, from cached scores)."""
    verdict = (
        run(gathered.query, gathered(ranking.sentence_ids[0]), without)
        if len(ranking)
        else Verdict()
    )
    return compose(gathered, ranking, verdict, model, top_k, min_confidence)
