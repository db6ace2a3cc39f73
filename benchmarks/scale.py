"""Search cost at 10k, 100k and 1M passages: exact flat vs HNSW vs IVF, and BM25.

Dense vectors are random unit vectors of the model's dimension (384) drawn around
random cluster centres, as real sentence embeddings are clustered; embedding 1M
real passages on 2 cores is out of reach. Each index is built with the production
parameters in qa_bot/vectors.py. BM25 runs on synthetic passages made of the
shipped document's words, queried with the eval questions.
"""

from __future__ import annotations

import gc
import json
import random
import time

import faiss
import numpy as np

from benchmarks.common import ROOT, median, pct, rss_mb, save
from qa_bot.index import vectors as vec
from qa_bot.index.lexical import BM25
from qa_bot.text import question_terms, words

SIZES = (10_000, 100_000, 1_000_000)
DIM = 384
QUERIES = 200
K = 10


def clustered_unit_vectors(n: int, rng: np.random.Generator, centres: np.ndarray) -> np.ndarray:
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        block = centres[rng.integers(0, len(centres), m)]
        block = block + rng.standard_normal((m, DIM), dtype=np.float32) * 0.04
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def time_queries(index: faiss.Index, queries: np.ndarray) -> list[float]:
    times = []
    for q in queries:  # one question at a time, as ask() does
        t0 = time.perf_counter()
        vec.search(index, q, K)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def recall(truth: np.ndarray, found: np.ndarray) -> float:
    return float(np.mean([len(set(t) & set(f)) / K for t, f in zip(truth, found, strict=True)]))


def dense(n: int, rng: np.random.Generator, centres: np.ndarray) -> dict:
    data = clustered_unit_vectors(n, rng, centres)
    picks = data[rng.integers(0, n, QUERIES)]
    queries = picks + rng.standard_normal(picks.shape, dtype=np.float32) * 0.03
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    rows = {}
    truth = None
    for kind in ("flat", "hnsw", "ivf"):
        gc.collect()
        before = rss_mb()
        t0 = time.perf_counter()
        index = vec.build(data, kind)
        build_s = time.perf_counter() - t0
        memory = rss_mb() - before
        _, ids = index.search(queries, K)
        if kind == "flat":
            truth = ids
        times = time_queries(index, queries)
        rows[kind] = {
            "build_s": build_s,
            "p50_ms": median(times),
            "p95_ms": pct(times, 95),
            "recall_at_10": recall(truth, ids),
            "memory_mb": memory,
        }
        print(f"  {n:>9,} {kind:<5} build {build_s:7.1f}s  p50 {rows[kind]['p50_ms']:7.2f} ms  "
              f"p95 {rows[kind]['p95_ms']:7.2f} ms  recall@10 {rows[kind]['recall_at_10']:.3f}  "
              f"+{memory:,.0f} MiB")  # fmt: skip
        del index
    return rows


def lexical(n: int, rng: random.Random, vocabulary: list[str], questions: list[str]) -> dict:
    texts = [" ".join(rng.choices(vocabulary, k=40)) for _ in range(n)]
    t0 = time.perf_counter()
    bm25 = BM25.build(texts)
    build_s = time.perf_counter() - t0
    del texts
    times = []
    for q in questions:
        query = question_terms(q)
        t0 = time.perf_counter()
        scores = bm25.scores(query)
        np.argpartition(-scores, K)[:K]
        times.append((time.perf_counter() - t0) * 1000)
    row = {"build_s": build_s, "p50_ms": median(times), "p95_ms": pct(times, 95)}
    print(f"  {n:>9,} bm25  build {build_s:7.1f}s  p50 {row['p50_ms']:7.2f} ms  "
          f"p95 {row['p95_ms']:7.2f} ms")  # fmt: skip
    return row


def plot(results: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [int(s) for s in results["dense"]]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for kind in ("flat", "hnsw", "ivf"):
        left.plot(sizes, [results["dense"][str(s)][kind]["p50_ms"] for s in sizes], "o-",
                  label=kind)  # fmt: skip
        right.plot(sizes, [results["dense"][str(s)][kind]["recall_at_10"] for s in sizes],
                   "o-", label=kind)  # fmt: skip
    left.plot(sizes, [results["bm25"][str(s)]["p50_ms"] for s in sizes], "s--", label="bm25")
    left.axhline(10, color="grey", lw=0.8, ls=":")
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_xlabel("passages")
        ax.legend()
    left.set_yscale("log")
    left.set_ylabel("p50 query latency (ms)")
    right.set_ylabel("recall@10 vs exact")
    right.set_ylim(0.0, 1.02)
    fig.suptitle(f"Search cost vs corpus size ({results['machine_cores']} cores)")
    fig.tight_layout()
    path = ROOT / "benchmarks" / "results" / "scale.png"
    fig.savefig(path, dpi=110)
    print(f"wrote {path}")


def main() -> dict:
    import os

    rng = np.random.default_rng(0)
    centres = rng.standard_normal((4096, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    text = (ROOT / "corpus" / "gpa-trafficking-hearing-2025-06-30.md").read_text()
    vocabulary = words(text)
    questions = [
        q["question"] for q in json.loads((ROOT / "tests/data/questions.json").read_text())
    ]
    results: dict = {"dense": {}, "bm25": {}, "machine_cores": os.cpu_count(),
                     "faiss_threads": faiss.omp_get_max_threads()}  # fmt: skip
    for n in SIZES:
        results["dense"][str(n)] = dense(n, rng, centres)
        results["bm25"][str(n)] = lexical(n, random.Random(n), vocabulary, questions)
    results["auto_choice"] = {str(n): vec.choose_index_type(n) for n in SIZES}
    save("scale", results)
    plot(results)
    return results


if __name__ == "__main__":
    main()
