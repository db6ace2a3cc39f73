"""The fitting report: cross-validated and held-out figures as JSON, and a reliability plot
of the confidence (benchmarks/results/selection.json and reliability.png)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from qa_bot.answer.selection import WEIGHTS, SelectionModel
from qa_bot.evaluate import Report

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
RELIABILITY_BINS = 10


def write_report(
    validation: list[Report], held_out: list[Report], model: SelectionModel, folder: Path
) -> None:
    """Cross-validated and held-out figures as JSON, and a reliability plot of the confidence."""
    folder.mkdir(parents=True, exist_ok=True)
    reports = validation + held_out
    data: dict[str, Any] = {
        "model": str(WEIGHTS.relative_to(ROOT)),
        "threshold": model.threshold,
        "possible_threshold": model.possible_threshold,
        "rerank_top": model.rerank_top,
        "rerank_mass": model.rerank_mass,
        "cross_validated": [r.row() for r in validation],
        "held_out": [r.row() for r in held_out],
        "reliability": {
            "squad_cross_validated": reliability(
                [p for r in reports if r.name.startswith("squad") for p in r.calibration]
            ),
            "own_documents": reliability(
                [p for r in reports if not r.name.startswith("squad") for p in r.calibration]
            ),
        },
        "misses": {r.name: r.misses[:40] for r in reports},
    }
    (folder / "selection.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    _plot(reports, folder / "reliability.png")


def reliability(pairs: list[tuple[float, bool]]) -> list[dict[str, float]]:
    """Per confidence bin: how many questions, mean confidence, share whose best quote answers."""
    out = []
    for b in range(RELIABILITY_BINS):
        lo, hi = b / RELIABILITY_BINS, (b + 1) / RELIABILITY_BINS
        inside = [
            (c, h) for c, h in pairs if lo <= c < hi or (b == RELIABILITY_BINS - 1 and c == 1)
        ]
        if inside:
            out.append({
                "bin": f"{lo:.1f}-{hi:.1f}", "n": len(inside),
                "confidence": round(float(np.mean([c for c, _ in inside])), 3),
                "answered": round(float(np.mean([h for _, h in inside])), 3),
            })  # fmt: skip
    return out


def _plot(reports: list[Report], path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log.warning("matplotlib is not installed; no reliability plot")
        return
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
    squad_pairs = [p for r in reports if r.name.startswith("squad") for p in r.calibration]
    own_pairs = [p for r in reports if not r.name.startswith("squad") for p in r.calibration]
    for name, pairs, style in (
        ("SQuAD articles, cross-validated", squad_pairs, "o-"),
        ("own documents, cross-validated + held out", own_pairs, "s--"),
    ):
        bins = reliability(pairs)
        ax.plot([b["confidence"] for b in bins], [b["answered"] for b in bins], style,
                label=f"{name} ({len(pairs)})")  # fmt: skip
        for b in bins:
            ax.annotate(str(b["n"]), (b["confidence"], b["answered"]), fontsize=6,
                        textcoords="offset points", xytext=(3, -9))  # fmt: skip
    ax.set_xlabel("Answer.confidence (binned)")
    ax.set_ylabel("share whose first quote answers")
    ax.set_title("Reliability: cross-validated and held-out questions")
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
