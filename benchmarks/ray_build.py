"""The full build of a synthetic corpus: local, and on a local Ray with 1 and 2 embedding
actors, in texts (passages + sentences) per second. Also the Ray actor batch size."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from benchmarks.build import synthetic_corpus
from benchmarks.common import save
from qa_bot.config import Settings
from qa_bot.index.build import build_index
from qa_bot.index.embedding import SentenceTransformerEmbedder

DOCUMENTS = int(os.environ.get("RAY_BENCH_DOCUMENTS", "100"))


def _timed(settings: Settings, embedder, engine=None) -> tuple[float, int]:
    t0 = time.perf_counter()
    report = build_index(settings, embedder, force=True, engine=engine)
    seconds = time.perf_counter() - t0
    if engine is not None:
        engine.close()
    return seconds, report.passages + report.sentences


def main() -> dict:
    from qa_bot.index import ray_build
    from qa_bot.index.ray_build import RayEngine

    embedder = SentenceTransformerEmbedder()
    embedder.encode(["warm-up"])  # the local build's model loaded before timing, like Ray's
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        synthetic_corpus(corpus, DOCUMENTS)
        settings = Settings(corpus=corpus, index=Path(tmp) / "index")
        seconds, texts = _timed(settings, embedder)
        rows["local"] = {"seconds": seconds, "texts_per_s": texts / seconds}
        for workers, batch in ((1, 64), (2, 256), (2, 64)):
            ray_build.BATCH_SIZE = batch
            engine = RayEngine(settings.with_(build_engine="ray"), workers=workers)
            seconds, texts = _timed(settings, embedder, engine)
            rows[f"ray, {workers} actor(s), batch {batch}"] = {
                "seconds": seconds, "texts_per_s": texts / seconds,
            }  # fmt: skip
        # Fixed cost: starting Ray and its actors (each loads the model) for one document.
        one = Path(tmp) / "one"
        one.mkdir()
        (one / "a.md").write_text((corpus / "report-000.md").read_text())
        small = settings.with_(corpus=one, index=Path(tmp) / "one-index", build_engine="ray")
        seconds, _ = _timed(small, embedder, RayEngine(small, workers=2))
        rows["ray start-up: one document, 2 actors"] = {"seconds": seconds, "texts_per_s": 0.0}
    for name, row in rows.items():
        print(f"{name}: {row['seconds']:.1f} s, {row['texts_per_s']:.0f} texts/s")
    result = {"documents": DOCUMENTS, "texts": rows and texts, "builds": rows}
    save("ray_build", result)
    return result


if __name__ == "__main__":
    main()
