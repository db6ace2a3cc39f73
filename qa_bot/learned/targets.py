"""The numbers of selection.json that are chosen against stated targets rather than fitted
by likelihood: the refusal thresholds and the quote gaps (used by ``fit.py``)."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import numpy as np

from qa_bot.answer.checks.amounts import part_similarity, share_part
from qa_bot.answer.facts import Gathered
from qa_bot.answer.pipeline import conclude
from qa_bot.answer.ranking import Ranking
from qa_bot.answer.selection import SelectionModel
from qa_bot.evaluate import hit
from qa_bot.learned.dataset import Example
from qa_bot.types import Encode

log = logging.getLogger(__name__)

FALSE_REFUSAL_TARGET = 0.05  # at most this share of answerable questions not answered
# At most this share of answerable questions get "not in the documents" with nothing shown;
# the rest of those not answered see their closest passages as "possibly relevant".
NOT_FOUND_TARGET = 0.01
# An answer is called confident (and shown so) where at least this share of the answers at
# or above its confidence were right, out of fold: below, it is shown as uncertain.
CONFIDENT_PRECISION = 0.9
MAX_QUOTE_GROWTH = 1.3  # merging neighbours may lengthen first quotes by 30% on average
MAX_MEAN_QUOTES = 2.0  # further quotes: at most two quotes per answer on average
# The floor for a share of the part asked (answer.checks.amounts.part_similarity) sits this far
# below the least similar share that answered a fitting question.
PART_MARGIN = 0.9
# SQuAD's refusal is also reported where its answerable refused is at most this (one point
# of the trade-off curve, as the honest-answers issue compares): reported, not chosen.
SQUAD_POINT = 0.03
GAP_CHOICES = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)


def choose_gaps(
    found: list[Example], oof: list[Ranking], model: SelectionModel
) -> tuple[float, float]:
    """The merge gap with the best top-1 whose first quotes grow by at most MAX_QUOTE_GROWTH,
    then the related gap with the best top-3 that shows at most MAX_MEAN_QUOTES quotes on
    average; both limits hold in every collection (long sentences must not double)."""
    answerable = [i for i, e in enumerate(found) if e.answerable and len(oof[i])]
    collections = sorted({found[i].collection for i in answerable})

    def run(merge: float, related: float) -> tuple[int, int, dict[str, float], dict[str, float]]:
        m = replace(model, merge_gap=merge, related_gap=related)
        top1 = top3 = 0
        chars: dict[str, list[int]] = {c: [] for c in collections}
        count: dict[str, list[int]] = {c: [] for c in collections}
        for i in answerable:
            e = found[i]
            quotes = conclude(Gathered(e.index, e.query), oof[i], m, 3, 0.0).quotes
            hits = [hit(e.item, q) for q in quotes]
            top1 += bool(hits and hits[0])
            top3 += any(hits)
            chars[e.collection].append(len(quotes[0].text))
            count[e.collection].append(len(quotes))
        mean = lambda d: {c: float(np.mean(v)) for c, v in d.items()}  # noqa: E731
        return top1, top3, mean(chars), mean(count)

    merges = {g: run(g, 0.0) for g in GAP_CHOICES}
    plain = merges[0.0][2]
    merge = max(
        (
            g
            for g, r in merges.items()
            if all(r[2][c] <= MAX_QUOTE_GROWTH * plain[c] for c in plain)
        ),
        key=lambda g: (merges[g][0], -g),
    )
    relateds = {g: run(merge, g) for g in GAP_CHOICES}
    related = max(
        (g for g, r in relateds.items() if max(r[3].values()) <= MAX_MEAN_QUOTES),
        key=lambda g: (relateds[g][1], -g),
    )
    top1, top3, chars, count = run(merge, related)
    log.info("gaps: merge %.2f, related %.2f: top-1 %d, top-3 %d of %d; chars %s; quotes %s",
             merge, related, top1, top3, len(answerable),
             {Path(c).name: round(v) for c, v in chars.items()},
             {Path(c).name: round(v, 2) for c, v in count.items()})  # fmt: skip
    return merge, related


def threshold_for(
    confidence: np.ndarray,
    weight: np.ndarray,
    answerable: np.ndarray,
    collection: np.ndarray,
    target: float = FALSE_REFUSAL_TARGET,
) -> float:
    """The highest threshold that refuses at most ``target`` of the answerable questions in
    every collection (so no kind of document pays for another's ease)."""
    return min(
        _quantile_threshold(confidence[answerable & inside], weight[answerable & inside], target)
        for inside in (collection == c for c in np.unique(collection))
        if np.any(answerable & inside)
    )


def confident_for(
    confidence: np.ndarray, right: np.ndarray, weight: np.ndarray, threshold: float
) -> float:
    """The lowest confidence (at least ``threshold``) at and above which the answers given
    were right at least ``CONFIDENT_PRECISION`` of the time (weighted; a refusable question
    answered counts as wrong); 1.0 when no such level exists."""
    order = np.argsort(-confidence, kind="stable")
    shown = confidence[order] >= threshold
    good = np.cumsum((weight * right)[order]) / np.cumsum(weight[order])
    levels = np.flatnonzero(shown & (good >= CONFIDENT_PRECISION))
    return float(confidence[order][levels[-1]]) if len(levels) else 1.0


def _quantile_threshold(confidence: np.ndarray, weight: np.ndarray, target: float) -> float:
    order = np.argsort(confidence, kind="stable")
    share = np.cumsum(weight[order]) / weight.sum()
    allowed = np.flatnonzero(share <= target)
    if not len(allowed):
        return float(confidence[order[0]] / 2)  # refuse none of them
    # Refuse exactly the allowed ones: halfway between the last refused and the next.
    last = allowed[-1]
    after = confidence[order[last + 1]] if last + 1 < len(order) else confidence[order[last]]
    return float((confidence[order[last]] + after) / 2)


def choose_part_floor(
    found: list[Example], oof: list[Ranking], model: SelectionModel, encode: Encode | None
) -> float:
    """PART_MARGIN times the lowest part similarity among the fitting questions that ask
    for a share of a part ("... are women") and whose first quote (cross-validated) answers
    them: no such right answer is turned away. 0 (no check) without an encoder or such
    questions."""
    seen = []
    for e, ranking in zip(found, oof, strict=True):
        if encode is None or not (e.answerable and len(ranking) and share_part(e.query)):
            continue
        gathered = Gathered(e.index, e.query)
        result = conclude(gathered, ranking, model, 1, 0.0)
        if result.quotes and hit(e.item, result.quotes[0]):
            seen.append(part_similarity(e.query, gathered(ranking.sentence_ids[0]), encode))
    floor = PART_MARGIN * min(seen) if seen else 0.0
    log.info("share of a part: %d right answers, least similar %.3f, floor %.3f",
             len(seen), min(seen, default=0.0), floor)  # fmt: skip
    return floor
