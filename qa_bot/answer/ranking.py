"""Rank the candidates: cheap prerank, the cross-encoder on the best, the learned rank
model, and the calibrated probability that the winner answers (``qa_bot.answer.selection``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa_bot.answer.facts import Gathered
from qa_bot.answer.features import (
    BASE_FEATURES,
    candidates,
    question_evidence,
    rank_features,
    rerank_text,
)
from qa_bot.answer.query import Query
from qa_bot.answer.rerank import CrossEncoder
from qa_bot.answer.retrieval import PassageHit
from qa_bot.answer.selection import Logistic, SelectionModel
from qa_bot.index.load import Index

NO_RUNNER_UP_GAP = 10.0
# The cross-encoder reads at least two candidates: the confidence model weighs the winner's
# lead over a runner-up it has read.
MIN_RERANKED = 2


@dataclass(frozen=True)
class Ranking:
    """The reranked candidates, best first, and the probability that the best one answers."""

    sentence_ids: tuple[int, ...]
    scores: tuple[float, ...]  # the rank model's logits
    confidence: float
    evidence: tuple[float, ...] = ()  # the confidence model's inputs (CONFIDENCE_FEATURES)

    def __len__(self) -> int:
        return len(self.sentence_ids)


def rank(
    gathered: Gathered,
    query_vector: np.ndarray,
    hits: list[PassageHit],
    reranker: CrossEncoder,
    model: SelectionModel,
) -> Ranking:
    """Candidates scored cheaply, the best reranked by the cross-encoder, then calibrated."""
    index, query = gathered.index, gathered.query
    cands = candidates(gathered, query_vector, hits)
    if not len(cands):
        return Ranking((), (), 0.0)
    keep = prerank(cands.features, model.prerank, model.rerank_top, model.rerank_mass)
    ids = [cands.sentence_ids[i] for i in keep]
    logits = reranker.score(query.text, [rerank_text(index, sid, model.pairing) for sid in ids])
    return ranking_of(index, query, ids, cands.features[keep], logits, model)


def prerank(base: np.ndarray, model: Logistic, top: int, mass: float = 1.0) -> np.ndarray:
    """Positions of the candidates the cross-encoder reads, best first by ``model``: as many
    as it takes for the prerank's own probability that the answer is among them to reach
    ``mass`` (the prerank is a softmax over the question's candidates), at least
    MIN_RERANKED and at most ``top``. A question whose prerank is sure pays for two pairs,
    an unsure one for ``top``; ``mass`` 1.0 always reads ``top``."""
    logits = model.logit(base)
    order = np.argsort(-logits, kind="stable")
    if mass >= 1.0 or len(order) <= MIN_RERANKED:
        return order[:top]
    shares = np.exp(logits[order] - logits[order[0]])
    reached = np.cumsum(shares) >= mass * shares.sum()
    count = int(np.argmax(reached)) + 1
    return order[: max(MIN_RERANKED, min(count, top))]


def ranking_of(
    index: Index,
    query: Query,
    ids: list[int],
    base: np.ndarray,
    logits: np.ndarray,
    model: SelectionModel,
) -> Ranking:
    """The reranked candidates ``ids`` (with BASE_FEATURES rows and cross-encoder logits)
    ordered by the rank model, with the confidence model's verdict on the winner."""
    scores = model.rank.logit(rank_features(base, logits))
    order = np.argsort(-scores, kind="stable")
    evidence = question_evidence(index, query, ids[order[0]])
    passages = np.array([index.sentences[sid].passage_id for sid in ids])
    inputs = confidence_features(scores, base, logits, order, passages, evidence)
    return Ranking(
        tuple(ids[i] for i in order),
        tuple(float(scores[i]) for i in order),
        float(model.confidence.probability(inputs)[0]),
        tuple(float(v) for v in inputs[0]),
    )


def confidence_features(
    scores: np.ndarray,
    base: np.ndarray,
    rerank: np.ndarray,
    order: np.ndarray,
    passages: np.ndarray,
    evidence: tuple[float, float],
) -> np.ndarray:
    """One row of selection.CONFIDENCE_FEATURES: the winner's evidence and its lead.

    ``scores``, ``base`` (BASE_FEATURES rows), ``rerank`` and ``passages`` (passage ids)
    describe the reranked candidates; ``order`` sorts them best first; ``evidence`` is
    question_evidence's.
    """
    win = order[0]
    column = dict(zip(BASE_FEATURES, base[win], strict=True))
    gap = float(scores[win] - scores[order[1]]) if len(order) > 1 else NO_RUNNER_UP_GAP
    elsewhere = scores[passages != passages[win]]
    passage_gap = float(scores[win] - elsewhere.max()) if len(elsewhere) else NO_RUNNER_UP_GAP
    return np.array(
        [[
            float(scores[win]), gap, passage_gap, float(rerank[win]),
            column["sentence_coverage"], column["passage_coverage"], column["sentence_dense"],
            column["type_missing"], column["type_present"], column["type_clause"],
            column["type_clause_missing"], column["speaker_other"], *evidence,
        ]]
    )  # fmt: skip
