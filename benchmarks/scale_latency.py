"""Answer latency against corpus size, in one run: warm ``ask()`` over the haystack's needles
alone and with about 10 K and 100 K passages of real distractors beside them
(``benchmarks.haystack``'s step indexes, brought up to date first), the same questions asked
of each in turn, so that a busy machine slows every size alike. Per size: median and p95
``ask()``, its ratio to the needles-only case, the vector search (FAISS, the index ``auto``
picks, on one thread) and the BM25 scoring that ``ask()`` runs, each as a share of the
median ``ask()``, and the memory the index's vectors and BM25 matrix hold.

With ``--edit``: one needle edited in the largest index, and the same edit in an index of
that one document, each timed from the save to the first answer quoting the new text
(``QABot.refresh``, what the server's watcher calls), with what the build embedded.

    python -m benchmarks.scale_latency [--sizes 0,60,all] [--rounds 2] [--edit]
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import faiss
import psutil

from benchmarks.common import ROOT, median, pct, save
from benchmarks.haystack import SETS, step_bots
from qa_bot.answer.retrieval import CANDIDATES
from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.index import vectors as vec
from qa_bot.questions import load_set

EDITED = "gpa-trafficking-hearing-2025-06-30.md"  # the shipped document, a needle
EDIT_QUESTION = "How many herons did the archive test count?"


def questions(work: Path) -> list[str]:
    """Every question of the haystack's sets, in a fixed order."""
    return [item.question for path in SETS.values() for item in load_set(path, work).items]


def timed(bot: QABot, question: str) -> tuple[float, float, float]:
    """Seconds of ``ask()``, of its vector search alone and of its BM25 scoring alone."""
    t0 = time.perf_counter()
    bot.ask(question)
    asked = time.perf_counter() - t0
    found = bot.retrieve(question, [])
    if found is None:
        return asked, 0.0, 0.0
    t0 = time.perf_counter()
    vec.search(found.index.passage_index, found.vector, CANDIDATES)
    searched = time.perf_counter() - t0
    t0 = time.perf_counter()
    found.index.passage_bm25.scores(list(found.query.terms))
    return asked, searched, time.perf_counter() - t0


def index_bytes(bot: QABot) -> dict[str, int]:
    """What the loaded index holds in memory: its vectors and its BM25 matrix."""
    index = bot.index
    bm25 = index.passage_bm25
    matrix = bm25.columns
    return {
        "vectors": int(index.passage_vectors.nbytes + index.sentence_vectors.nbytes),
        "bm25_matrix": int(matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes),
        "bm25_terms": len(bm25.vocab),
    }


def edit_to_answer(bot: QABot, path: Path, number: int) -> dict:
    """Seconds from saving an edit of ``path`` to the first answer quoting it, and what the
    build embedded; the file is put back (and the index with it) afterwards."""
    original = path.read_bytes()
    path.write_bytes(original + f"\n\nThe archive test counted {number} herons.\n".encode())
    started = time.perf_counter()
    try:
        while True:
            bot.refresh()
            answer = bot.ask(EDIT_QUESTION, min_confidence=0)
            if answer.quotes and str(number) in answer.quotes[0].text:
                seconds = time.perf_counter() - started
                break
            if time.perf_counter() - started > 1800:
                raise RuntimeError("the edit was never answered")
        report = bot.last_build
    finally:
        path.write_bytes(original)
        bot.refresh()
    return {
        "seconds": round(seconds, 2),
        "changed": list(report.changed) if report else [],
        "embedded_passages": report.embedded_passages if report else 0,
        "embedded_sentences": report.embedded_sentences if report else 0,
        "passages_in_index": bot.index.manifest["counts"]["passages"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale_latency", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--sizes", default="0,60,all", help="distractor pages per package")
    parser.add_argument("--rounds", type=int, default=2, help="times each question is asked")
    parser.add_argument("--work", type=Path, default=ROOT / "embeddings" / "haystack")
    parser.add_argument("--edit", action="store_true", help="also time one edited document")
    args = parser.parse_args(argv)
    faiss.omp_set_num_threads(1)
    sizes = args.sizes.split(",")
    bots = {size: bot for size, (bot, _) in step_bots(args.work, sizes).items()}
    asked = questions(args.work / "sets")
    for bot in bots.values():
        bot.warm_up()
        for question in asked[:10]:
            bot.ask(question)
    times: dict[str, list[tuple[float, float, float]]] = {size: [] for size in sizes}
    for n in range(args.rounds):
        for i, question in enumerate(asked):
            order = sizes[(i + n) % len(sizes) :] + sizes[: (i + n) % len(sizes)]
            for size in order:  # each size first in turn
                times[size].append(timed(bots[size], question))
    base = median([t[0] for t in times[sizes[0]]])
    rows = []
    for size in sizes:
        ask_s = [t[0] for t in times[size]]
        med, search, bm25 = (median([t[i] for t in times[size]]) for i in range(3))
        manifest = bots[size].index.manifest
        row = {
            "distractor_pages": size,
            "passages": manifest["counts"]["passages"],
            "sentences": manifest["counts"]["sentences"],
            "search": manifest.get("index_type", "?"),
            "asks": len(ask_s),
            "ask_median_ms": round(med * 1000, 1),
            "ask_p95_ms": round(pct(ask_s, 95) * 1000, 1),
            "ask_ratio_to_needles": round(med / base, 3),
            "search_median_ms": round(search * 1000, 3),
            "search_share_of_ask": round(search / med, 4),
            "bm25_median_ms": round(bm25 * 1000, 3),
            "bm25_share_of_ask": round(bm25 / med, 4),
            "memory_bytes": index_bytes(bots[size]),
        }
        rows.append(row)
        print(f"{row['passages']:>7} passages: ask {row['ask_median_ms']:.0f} ms "
              f"(p95 {row['ask_p95_ms']:.0f}, x{row['ask_ratio_to_needles']:.2f}); search "
              f"{row['search_median_ms']:.2f} ms ({row['search_share_of_ask']:.1%}); BM25 "
              f"{row['bm25_median_ms']:.2f} ms ({row['bm25_share_of_ask']:.1%})")  # fmt: skip
    result = {"sizes": rows, "rounds": args.rounds, "threads": "faiss: 1",
              "process_rss_bytes": psutil.Process().memory_info().rss}  # fmt: skip
    if args.edit:
        largest = bots[sizes[-1]]
        alone = args.work / "edit-alone"
        shutil.rmtree(alone, ignore_errors=True)
        (alone / "corpus").mkdir(parents=True)
        shutil.copyfile(largest.settings.corpus / EDITED, alone / "corpus" / EDITED)
        single = QABot(Settings(corpus=alone / "corpus", index=alone / "index"),
                       largest.embedder, largest.reranker)  # fmt: skip
        single.warm_up()
        result["edit"] = {
            "one_document": edit_to_answer(single, alone / "corpus" / EDITED, 7_100_001),
            "largest": edit_to_answer(largest, largest.settings.corpus / EDITED, 7_100_002),
        }
        one, big = result["edit"]["one_document"], result["edit"]["largest"]
        result["edit"]["ratio"] = round(big["seconds"] / one["seconds"], 2)
        print(f"edit to answer: {big['seconds']} s in {big['passages_in_index']} passages, "
              f"{one['seconds']} s alone (x{result['edit']['ratio']}); embedded "
              f"{big['embedded_passages']} passages, {big['embedded_sentences']} sentences")  # fmt: skip
    save("scale_latency", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
