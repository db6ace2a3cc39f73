"""Hybrid passage retrieval: dense (FAISS) and lexical (BM25), fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa_bot.index import vectors as vec
from qa_bot.index.load import Index

RRF_K = 60
CANDIDATES = 100


@dataclass(frozen=True)
class PassageHit:
    """A retrieved passage with the evidence for it."""

    passage_id: int
    dense: float
    lexical: float
    fused: float


def retrieve(
    index: Index,
    query_vector: np.ndarray,
    query_terms: list[str],
    k: int = 8,
    within: frozenset[int] | None = None,
) -> list[PassageHit]:
    """The k best passages by reciprocal-rank fusion of dense and BM25 rankings; with
    ``within``, the best of those passages only (a speaker's statements)."""
    if within is not None:
        return _retrieve_within(index, query_vector, query_terms, k, within)
    d_scores, d_ids = vec.search(index.passage_index, query_vector, CANDIDATES)
    lexical = index.passage_bm25.scores(query_terms)
    n_lex = min(CANDIDATES, lexical.size)
    l_ids = np.argpartition(-lexical, n_lex - 1)[:n_lex] if n_lex else np.zeros(0, dtype=int)
    l_ids = l_ids[np.argsort(-lexical[l_ids])]
    l_ids = l_ids[lexical[l_ids] > 0]
    fused: dict[int, float] = {}
    for rank, pid in enumerate(d_ids):
        fused[int(pid)] = fused.get(int(pid), 0.0) + 1.0 / (RRF_K + rank + 1)
    for rank, pid in enumerate(l_ids):
        fused[int(pid)] = fused.get(int(pid), 0.0) + 1.0 / (RRF_K + rank + 1)
    dense = {int(p): float(s) for p, s in zip(d_ids, d_scores, strict=True)}
    best = sorted(fused, key=fused.__getitem__, reverse=True)[:k]
    return [
        PassageHit(
            pid,
            dense[pid] if pid in dense else float(index.passage_vectors[pid] @ query_vector),
            float(lexical[pid]),
            fused[pid],
        )
        for pid in best
    ]


def _retrieve_within(
    index: Index, query_vector: np.ndarray, query_terms: list[str], k: int, within: frozenset[int]
) -> list[PassageHit]:
    """``retrieve`` over the passages ``within`` only, each scored exactly."""
    pids = np.array(sorted(within), dtype=np.int64)
    if not len(pids):
        return []
    dense = index.passage_vectors[pids] @ query_vector
    lexical = index.passage_bm25.scores(query_terms)[pids] if query_terms else np.zeros(len(pids))
    fused = np.zeros(len(pids))
    for scores in (dense, lexical):
        order = np.argsort(-scores, kind="stable")
        ranked = order[scores[order] > 0] if scores is lexical else order
        fused[ranked] += 1.0 / (RRF_K + np.arange(len(ranked)) + 1)
    best = np.argsort(-fused, kind="stable")[:k]
    return [
        PassageHit(int(pids[i]), float(dense[i]), float(lexical[i]), float(fused[i])) for i in best
    ]
