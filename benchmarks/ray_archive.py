"""The Ray build of an archive gives the local build's index: one of the haystack's steps
(``benchmarks.haystack``; its index is the local build, its vectors those the largest
index computed locally) built again on a local Ray cluster from scratch, and the two
compared: the same documents, passages and sentences (texts, offsets, speakers, entities)
and vectors within 1e-6.

    python -m benchmarks.ray_archive [--size 6] [--workers 2]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from benchmarks.common import ROOT, save
from qa_bot.config import Settings
from qa_bot.index.build import build_index
from qa_bot.index.embedding import SentenceTransformerEmbedder
from qa_bot.index.load import Index, load_index

TOLERANCE = 1e-6


def compare(local: Index, ray: Index) -> dict:
    """How the Ray build's index differs from the local one's (nothing, ideally)."""
    same_passages = [p.to_dict() for p in local.passages] == [p.to_dict() for p in ray.passages]
    same_sentences = [s.to_dict() for s in local.sentences] == [s.to_dict() for s in ray.sentences]
    shapes = (local.passage_vectors.shape == ray.passage_vectors.shape
              and local.sentence_vectors.shape == ray.sentence_vectors.shape)  # fmt: skip
    worst = (
        max(
            float(np.abs(np.asarray(local.passage_vectors) - ray.passage_vectors).max()),
            float(np.abs(np.asarray(local.sentence_vectors) - ray.sentence_vectors).max()),
        )
        if shapes
        else float("inf")
    )
    return {
        "documents": len(local.manifest["documents"]),
        "passages": len(local.passages),
        "sentences": len(local.sentences),
        "same_documents": sorted(local.manifest["documents"]) == sorted(ray.manifest["documents"]),
        "same_passages": same_passages,
        "same_sentences": same_sentences,
        "max_vector_difference": worst,
        "identical": same_passages and same_sentences and worst <= TOLERANCE,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ray_archive", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--size", default="6", help="the haystack step (pages per package)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=ROOT / "embeddings" / "haystack")
    args = parser.parse_args(argv)
    from qa_bot.index.ray_build import RayEngine

    step = args.work / "steps" / args.size
    if not (step / "index").is_dir():
        raise SystemExit(f"{step} has no index: run `python -m benchmarks.haystack` first")
    local = load_index(step / "index")
    settings = Settings(corpus=step / "corpus", index=args.work / "ray" / args.size / "index",
                        build_engine="ray")  # fmt: skip
    engine = RayEngine(settings, workers=args.workers)
    t0 = time.perf_counter()
    try:
        report = build_index(settings, SentenceTransformerEmbedder(settings.model), force=True,
                             engine=engine)  # fmt: skip
    finally:
        engine.close()
    seconds = time.perf_counter() - t0
    result = compare(local, load_index(settings.index))
    result |= {"step": args.size, "workers": args.workers, "ray_build_s": round(seconds, 1),
               "embedded_texts": report.embedded_passages + report.embedded_sentences}  # fmt: skip
    print(f"step {args.size}: {result['passages']} passages, {result['sentences']} sentences; "
          f"Ray build {seconds:.0f} s; identical: {result['identical']} "
          f"(max vector difference {result['max_vector_difference']:.2e})")  # fmt: skip
    save("ray_archive", result)
    return 0 if result["identical"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
