"""The learned answer selection: which candidate sentence answers, and how likely it is right.

Three small logistic models, fitted by ``qa_bot/learned/fit.py`` and stored beside it in
``selection.json`` (no weight lives in code):

1. *prerank* scores every candidate on cheap features; the best go on, as many as it takes
   for the prerank to be ``rerank_mass`` sure the answer is among them (2 to ``rerank_top``);
2. *rank* adds the cross-encoder's logit and picks the answer sentence;
3. *confidence* maps the winner's evidence to the probability that it answers the
   question; below ``threshold`` (chosen so that few answerable questions are refused)
   the bot does not answer: down to ``possible_threshold`` it shows the closest passages
   as "possibly relevant" (never as an answer), below that it says the documents don't say.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from qa_bot.safe_json import JsonFileError, load_json

WEIGHTS = Path(__file__).parents[1] / "learned" / "selection.json"
FORMAT = "qa_bot.selection/1"

# Evidence about the winning sentence that the confidence model weighs.
CONFIDENCE_FEATURES = (
    "best_score",  # the rank model's logit for the winner
    "score_gap",  # its lead over the runner-up
    "passage_gap",  # its lead over the best candidate from another passage
    "best_rerank",  # the cross-encoder's logit for the winner
    "best_sentence_coverage",
    "best_passage_coverage",
    "best_sentence_dense",
    "best_type_missing",
    "best_type_present",
    "best_type_clause",  # coverage of the question in the clause of the answer's typed entity
    "best_type_clause_missing",  # the rarest question term absent from that clause
    "best_speaker_other",
    "unseen_terms",  # share of the question (idf-weighted) that the collection never uses
    "missing_term",  # the rarest question term absent from the answer's passage
)


class SelectionModelError(RuntimeError):
    """The fitted selection model is missing or unreadable; the message says how to refit."""


@dataclass(frozen=True)
class Logistic:
    """A standardised logistic model over named features."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def logit(self, x: np.ndarray) -> np.ndarray:
        """Log-odds for each row of ``x`` (columns in ``self.features`` order)."""
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(x)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": _rounded(self.mean),
            "scale": _rounded(self.scale),
            "coef": _rounded(self.coef),
            "intercept": round(float(self.intercept), 6),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Logistic:
        n = len(data["features"])
        arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "coef")]
        if any(a.shape != (n,) for a in arrays) or np.any(arrays[1] <= 0):
            raise ValueError("mean, scale and coef must have one positive-scale entry per feature")
        return cls(tuple(data["features"]), *arrays, float(data["intercept"]))


@dataclass(frozen=True)
class SelectionModel:
    """Everything fitted about answer selection, with what it was fitted for."""

    reranker: str  # the cross-encoder the rank model's weights belong to
    pairing: str  # what the cross-encoder sees beside the question (see features.rerank_text)
    rerank_top: int  # at most this many candidates go to the cross-encoder
    prerank: Logistic
    rank: Logistic
    confidence: Logistic
    threshold: float  # refuse when confidence is below
    possible_threshold: float  # below threshold but at least this: "possibly relevant"
    merge_gap: float  # a next sentence joins the quote when its rank logit is this close
    related_gap: float  # further quotes must be this close to the best
    fitted: dict[str, Any]  # provenance: data, split, figures (informational)
    # The cross-encoder reads candidates until the prerank's probability that the answer is
    # among them reaches this (ranking.prerank); 1.0: always ``rerank_top``.
    rerank_mass: float = 1.0
    # An answer at or above this confidence is shown as confident, below as uncertain
    # (learned.targets.confident_for); 1.0: none is called confident.
    confident_threshold: float = 1.0
    # A share of a part ("... are women") must be given in a clause with a phrase at least
    # this similar to the part (answer.checks.amounts.part_similarity); 0: not checked.
    part_floor: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "reranker": self.reranker,
            "pairing": self.pairing,
            "rerank_top": self.rerank_top,
            "rerank_mass": round(self.rerank_mass, 6),
            "prerank": self.prerank.to_dict(),
            "rank": self.rank.to_dict(),
            "confidence": self.confidence.to_dict(),
            "threshold": round(self.threshold, 6),
            "possible_threshold": round(self.possible_threshold, 6),
            "confident_threshold": round(self.confident_threshold, 6),
            "merge_gap": round(self.merge_gap, 6),
            "related_gap": round(self.related_gap, 6),
            "part_floor": round(self.part_floor, 6),
            "fitted": self.fitted,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SelectionModel:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise ValueError(f"format is {found!r}, expected {FORMAT!r}")
        model = cls(
            reranker=str(data["reranker"]),
            pairing=str(data["pairing"]),
            rerank_top=int(data["rerank_top"]),
            rerank_mass=float(data.get("rerank_mass", 1.0)),
            prerank=Logistic.from_dict(data["prerank"]),
            rank=Logistic.from_dict(data["rank"]),
            confidence=Logistic.from_dict(data["confidence"]),
            threshold=float(data["threshold"]),
            possible_threshold=float(data["possible_threshold"]),
            confident_threshold=float(data.get("confident_threshold", 1.0)),
            merge_gap=float(data["merge_gap"]),
            related_gap=float(data["related_gap"]),
            part_floor=float(data.get("part_floor", 0.0)),
            fitted=dict(data.get("fitted", {})),
        )
        if model.rerank_top < 1 or not 0.0 < model.rerank_mass <= 1.0:
            raise ValueError("rerank_top must be positive and rerank_mass in (0, 1]")
        if not -1.0 <= model.part_floor <= 1.0:
            raise ValueError("part_floor must be a cosine similarity, in [-1, 1]")
        if not 0.0 <= model.possible_threshold <= model.threshold <= 1.0:
            raise ValueError("possible_threshold <= threshold must be probabilities")
        if not model.threshold <= model.confident_threshold <= 1.0:
            raise ValueError("confident_threshold must lie between threshold and 1")
        from qa_bot.answer.features import BASE_FEATURES, RANK_FEATURES

        for part, expected in (
            (model.prerank, BASE_FEATURES),
            (model.rank, RANK_FEATURES),
            (model.confidence, CONFIDENCE_FEATURES),
        ):
            if part.features != expected:
                raise ValueError(f"features {part.features} are not the ones computed here")
        return model

    def save(self, path: Path = WEIGHTS) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n")


def load_model(path: Path = WEIGHTS) -> SelectionModel:
    """The fitted selection model; a clear error when it is missing or malformed."""
    return _load(Path(path))


@lru_cache(maxsize=4)
def _load(path: Path) -> SelectionModel:
    hint = "refit it with `make fit` (python -m qa_bot.learned.fit)"
    try:
        data = load_json(path)
    except JsonFileError as err:
        raise SelectionModelError(f"{err}; {hint}") from None
    try:
        return SelectionModel.from_dict(data)
    except (KeyError, TypeError, ValueError) as err:
        raise SelectionModelError(f"{path}: not a selection model ({err}); {hint}") from None


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) if math.isfinite(v) else 0.0 for v in values]
