"""Warm ask() latency against the model work it cannot avoid.

The floor of one question is one bare ``model.encode(question)`` plus one cross-encoder
call over exactly the candidates ``ask()`` reranks for it (found beforehand, untimed).
The cross-encoder runs one pair at a time (see qa_bot/rerank.py); the same candidates
scored as one padded batch are timed too, to show what that consistency costs.
"""

from __future__ import annotations

import json
import tempfile
import time

from benchmarks.common import ROOT, median, pct, save
from qa_bot.answer.facts import Gathered
from qa_bot.answer.features import candidates, rerank_text
from qa_bot.answer.ranking import prerank
from qa_bot.answer.rerank import pair_feeds
from qa_bot.bot import QABot
from qa_bot.config import Settings

ROUNDS = 5


def reranked_texts(bot: QABot, question: str) -> tuple[str, list[str]]:
    """The question as the cross-encoder reads it, and the texts ``ask()`` pairs it with."""
    found = bot.retrieve(question)
    cands = candidates(Gathered(found.index, found.query), found.vector, found.hits)
    model = bot.selection
    keep = prerank(cands.features, model.prerank, model.rerank_top, model.rerank_mass)
    ids = [cands.sentence_ids[i] for i in keep]
    return found.query.text, [rerank_text(found.index, s, bot.selection.pairing) for s in ids]


def _batched(bot: QABot, question: str, texts: list[str]) -> None:
    """The candidates as one padded batch (the way the reranker ran before one pair per run)."""
    tokenizer, session = bot.reranker.load()
    session.run(None, pair_feeds([tokenizer.encode(question, t) for t in texts]))


def main() -> dict:
    questions = [q["question"] for q in json.loads((ROOT / "tests/data/dev.json").read_text())]
    questions += [q["question"] for q in json.loads((ROOT / "tests/data/blind.json").read_text())]
    with tempfile.TemporaryDirectory() as index:
        bot = QABot(Settings(corpus=ROOT / "corpus", index=index))
        model = bot.embedder.model
        bot.ask("warm up")
        model.encode(["warm up"])
        pairs = {q: reranked_texts(bot, q) for q in questions}
        ask_ms, floor_ms, encode_ms, rerank_ms, batched_ms = [], [], [], [], []
        for _ in range(ROUNDS):
            for q in questions:  # interleaved, so both see the same machine state
                text, texts = pairs[q]
                t0 = time.perf_counter()
                model.encode([q], normalize_embeddings=True, show_progress_bar=False)
                t1 = time.perf_counter()
                bot.reranker.score(text, texts)
                t2 = time.perf_counter()
                bot.ask(q)
                t3 = time.perf_counter()
                _batched(bot, text, texts)
                batched_ms.append((time.perf_counter() - t3) * 1000)
                encode_ms.append((t1 - t0) * 1000)
                rerank_ms.append((t2 - t1) * 1000)
                floor_ms.append((t2 - t0) * 1000)
                ask_ms.append((t3 - t2) * 1000)
    result = {
        "questions": len(questions),
        "rounds": ROUNDS,
        "reranked_per_question": median([len(t) for _, t in pairs.values()]),
        "ask_median_ms": median(ask_ms),
        "ask_p95_ms": pct(ask_ms, 95),
        "encode_median_ms": median(encode_ms),
        "rerank_median_ms": median(rerank_ms),
        "rerank_batched_median_ms": median(batched_ms),
        "floor_median_ms": median(floor_ms),
        "floor_p95_ms": pct(floor_ms, 95),
        "ratio_median": median(ask_ms) / median(floor_ms),
        "ratio_p95": pct(ask_ms, 95) / pct(floor_ms, 95),
    }
    print(
        f"ask() median {result['ask_median_ms']:.1f} ms, p95 {result['ask_p95_ms']:.1f} ms; "
        f"floor (encode {result['encode_median_ms']:.1f} + rerank "
        f"{result['rerank_median_ms']:.1f}) median {result['floor_median_ms']:.1f} ms; "
        f"ratio {result['ratio_median']:.2f}x (target <= 1.2x); the same candidates "
        f"as one batch {result['rerank_batched_median_ms']:.1f} ms"
    )
    save("ask_vs_floor", result)
    return result


if __name__ == "__main__":
    main()
