"""Warm ask() latency against the unavoidable floor: one bare model.encode(question)."""

from __future__ import annotations

import json
import tempfile
import time

from benchmarks.common import ROOT, median, pct, save
from qa_bot.bot import QABot
from qa_bot.config import Settings

ROUNDS = 5


def main() -> dict:
    questions = [q["question"] for q in json.loads((ROOT / "tests/data/dev.json").read_text())]
    questions += [
        q["question"] for q in json.loads((ROOT / "tests/data/questions.json").read_text())
    ]
    with tempfile.TemporaryDirectory() as index:
        bot = QABot(Settings(corpus=ROOT / "corpus", index=index))
        model = bot.embedder.model
        bot.ask("warm up")
        model.encode(["warm up"])
        ask_ms, floor_ms = [], []
        for _ in range(ROUNDS):
            for q in questions:  # interleaved, so both see the same machine state
                t0 = time.perf_counter()
                model.encode([q], normalize_embeddings=True, show_progress_bar=False)
                floor_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                bot.ask(q)
                ask_ms.append((time.perf_counter() - t0) * 1000)
    result = {
        "questions": len(questions),
        "rounds": ROUNDS,
        "ask_median_ms": median(ask_ms),
        "ask_p95_ms": pct(ask_ms, 95),
        "encode_median_ms": median(floor_ms),
        "encode_p95_ms": pct(floor_ms, 95),
        "ratio_median": median(ask_ms) / median(floor_ms),
        "ratio_p95": pct(ask_ms, 95) / pct(floor_ms, 95),
    }
    print(
        f"ask() median {result['ask_median_ms']:.1f} ms, p95 {result['ask_p95_ms']:.1f} ms; "
        f"encode median {result['encode_median_ms']:.1f} ms; "
        f"ratio {result['ratio_median']:.2f}x (target <= 1.5x)"
    )
    save("ask_vs_floor", result)
    return result


if __name__ == "__main__":
    main()
