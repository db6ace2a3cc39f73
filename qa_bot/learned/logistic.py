"""Two small maximum-likelihood fits on standardised features, with L2 regularisation.

- ``fit_binary``: P(y=1 | x), a plain logistic regression (the confidence model);
- ``fit_choice``: a conditional logit, softmax over each question's candidates, trained to
  put probability on the candidates that answer (the prerank and rank models).

Both start from zero and use L-BFGS, so a refit on the same data gives the same numbers.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from qa_bot.answer.selection import Logistic

L2 = 1.0  # penalty on the standardised coefficients, summed over questions


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0  # a constant feature keeps a zero coefficient
    return (x - mean) / scale, mean, scale


def fit_binary(
    features: tuple[str, ...],
    x: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray | None = None,
    l2: float = L2,
) -> Logistic:
    """Logistic regression of ``y`` (0/1) on ``x``; ``weight`` per row (default 1)."""
    z, mean, scale = _standardise(np.asarray(x, dtype=np.float64))
    y = np.asarray(y, dtype=np.float64)
    w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=np.float64)
    total = w.sum()

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        coef, intercept = params[:-1], params[-1]
        logit = z @ coef + intercept
        # log(1 + e^t) computed stably
        nll = np.sum(w * (np.logaddexp(0, logit) - y * logit)) / total
        p = 1.0 / (1.0 + np.exp(-logit))
        grad = np.append(z.T @ (w * (p - y)), np.sum(w * (p - y))) / total
        nll += l2 * coef @ coef / total
        grad[:-1] += 2 * l2 * coef / total
        return nll, grad

    params = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B").x
    return Logistic(features, mean, scale, params[:-1], float(params[-1]))


def fit_choice(
    features: tuple[str, ...],
    x: np.ndarray,
    group: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray | None = None,
    l2: float = L2,
) -> Logistic:
    """Conditional logit: for each group (question) maximise the softmax mass on its y=1 rows.

    Rows of one group must be contiguous. Groups without a positive row say nothing about
    ranking and are skipped. ``weight`` is per row and read at each group's first row.
    """
    x = np.asarray(x, dtype=np.float64)
    group = np.asarray(group)
    y = np.asarray(y, dtype=bool)
    w_row = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=np.float64)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    has_pos = np.add.reduceat(y.astype(np.int64), starts) > 0
    keep = np.repeat(has_pos, np.diff(np.r_[starts, len(group)]))
    x, group, y, w_row = x[keep], group[keep], y[keep], w_row[keep]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    sizes = np.diff(np.r_[starts, len(group)])
    w = w_row[starts]
    total = w.sum()
    z, mean, scale = _standardise(x)

    def loss(coef: np.ndarray) -> tuple[float, np.ndarray]:
        logit = z @ coef
        t = logit - np.repeat(np.maximum.reduceat(logit, starts), sizes)
        e = np.exp(t)
        p = e / np.repeat(np.add.reduceat(e, starts), sizes)
        mass = np.add.reduceat(np.where(y, p, 0.0), starts)
        q = np.where(y, p, 0.0) / np.repeat(mass, sizes)
        nll = -np.sum(w * np.log(mass)) / total + l2 * coef @ coef / total
        grad = -(z.T @ (np.repeat(w, sizes) * (q - p))) / total + 2 * l2 * coef / total
        return nll, grad

    coef = minimize(loss, np.zeros(z.shape[1]), jac=True, method="L-BFGS-B").x
    # The softmax is blind to a constant; the intercept stays 0 (scores are compared
    # within a question, and the confidence model reads them through its own fit).
    return Logistic(features, mean, scale, coef, 0.0)
