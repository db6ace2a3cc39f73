"""What one cross-encoder run costs, by input length and batch size, on one thread.

Answers the question behind any plan to make reranking cheaper: is a pair's cost per-run
overhead (then batching pays) or arithmetic (then only fewer tokens or fewer pairs pay)?
It also reports how long the pairs the bot builds are, for each pairing
(features.rerank_text), over every sentence of the configured corpus.

    python -m benchmarks.rerank_length
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from benchmarks.common import median, pct, save
from qa_bot.answer.features import PAIRINGS, rerank_text
from qa_bot.answer.rerank import reranker_folder
from qa_bot.bot import default_bot
from qa_bot.index.onnx_session import open_session

LENGTHS = (16, 32, 64, 96, 128, 192, 256)
BATCH = 20  # the pairs ask() reranks per question
ROUNDS = 15
QUESTION = "What did the Special Rapporteur say about compensation for survivors?"


def _feeds(batch: int, length: int) -> dict[str, np.ndarray]:
    ids = np.full((batch, length), 1000, dtype=np.int64)
    ids[:, 0], ids[:, -1] = 101, 102  # [CLS] ... [SEP]
    ones = np.ones((batch, length), dtype=np.int64)
    return {"input_ids": ids, "attention_mask": ones, "token_type_ids": ones * 0}


def _run_ms(session, batch: int, length: int, rounds: int) -> float:
    feeds = _feeds(batch, length)
    session.run(None, feeds)
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - t0) * 1000)
    return median(times)


def pair_lengths() -> dict[str, dict[str, float]]:
    """Token counts of (question, text) for every sentence of the configured corpus."""
    bot = default_bot()
    tokenizer, _ = bot.reranker.load()
    index = bot.index
    out = {}
    for pairing in PAIRINGS:
        lengths = [
            len(tokenizer.encode(QUESTION, rerank_text(index, s.id, pairing)).ids)
            for s in index.sentences
        ]
        out[pairing] = {
            "median": statistics.median(lengths),
            "mean": round(statistics.mean(lengths), 1),
            "p90": pct(lengths, 90),
        }
    return out


def main() -> dict:
    session = open_session(reranker_folder() / "model.onnx", 1)  # one thread
    rows = []
    for length in LENGTHS:
        one = _run_ms(session, 1, length, ROUNDS)
        batched = _run_ms(session, BATCH, length, max(3, ROUNDS // 3)) / BATCH
        rows.append({"tokens": length, "one_pair_ms": round(one, 2),
                     "batched_ms_per_pair": round(batched, 2),
                     "batch_saves": round(1 - batched / one, 3)})  # fmt: skip
        print(f"{length:4} tokens: one pair {one:7.2f} ms, in a batch of {BATCH} "
              f"{batched:7.2f} ms a pair")  # fmt: skip
    lengths = pair_lengths()
    for pairing, figures in lengths.items():
        print(f"pairing {pairing}: median {figures['median']} tokens, p90 {figures['p90']}")
    result = {"threads": 1, "batch": BATCH, "by_length": rows, "pair_tokens": lengths}
    save("rerank_length", result)
    return result


if __name__ == "__main__":
    main()
