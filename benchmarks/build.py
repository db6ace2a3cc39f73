"""Build cost on a 200-document synthetic corpus: throughput vs raw encode, no-op, one change."""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, save
from qa_bot.config import Settings
from qa_bot.index.build import build_index
from qa_bot.index.embedding import SentenceTransformerEmbedder
from qa_bot.ingest.corpus import load_document

DOCUMENTS = 200


def synthetic_corpus(folder: Path, n: int = DOCUMENTS, seed: int = 7) -> list[str]:
    """Deterministic documents recombined from the shipped document's sentences."""
    doc = load_document(ROOT / "corpus", "gpa-trafficking-hearing-2025-06-30.md")
    sentences = [s.text for s in doc.sentences]
    sections = sorted({p.section.split(" › ")[-1] for p in doc.passages if p.section})
    rng = random.Random(seed)
    names = []
    for i in range(n):
        parts = [f"# Synthetic report {i}\n"]
        for _ in range(rng.randint(2, 4)):
            parts.append(f"## {rng.choice(sections)}\n")
            for _ in range(rng.randint(2, 4)):
                parts.append(" ".join(rng.sample(sentences, rng.randint(2, 4))) + "\n")
        name = f"report-{i:03d}.md"
        (folder / name).write_text("\n".join(parts), encoding="utf-8")
        names.append(name)
    return names


def main() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        corpus.mkdir()
        names = synthetic_corpus(corpus)
        settings = Settings(corpus=corpus, index=index)
        embedder = SentenceTransformerEmbedder()
        embedder.encode(["warm up"])  # load the model outside both timings
        texts = []
        for name in names:
            doc = load_document(corpus, name)
            texts += [p.embedding_text() for p in doc.passages] + [s.text for s in doc.sentences]
        t0 = time.perf_counter()
        embedder.encode(texts)
        raw_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = build_index(settings, embedder, progress=lambda _: None)
        build_s = time.perf_counter() - t0
        texts_per_s_build = (report.passages + report.sentences) / build_s
        texts_per_s_raw = len(texts) / raw_s

        fresh = SentenceTransformerEmbedder()
        t0 = time.perf_counter()
        noop = build_index(settings, fresh)
        noop_inproc_s = time.perf_counter() - t0
        model_loaded = fresh._model is not None
        env = {"QA_BOT_CORPUS": str(corpus), "QA_BOT_INDEX": str(index), "HF_HUB_OFFLINE": "1"}
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "qa_bot", "build"], env=env, cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        noop_cli_s = time.perf_counter() - t0

        changed = corpus / names[17]
        changed.write_text(changed.read_text() + "\nOne more sentence was added here.\n")
        one = build_index(settings, embedder, progress=lambda _: None)
        expected = len(load_document(corpus, names[17]).passages)
    result = {
        "documents": report.documents,
        "passages": report.passages,
        "sentences": report.sentences,
        "full_build_s": build_s,
        "raw_encode_s": raw_s,
        "build_texts_per_s": texts_per_s_build,
        "raw_encode_texts_per_s": texts_per_s_raw,
        "throughput_ratio": texts_per_s_build / texts_per_s_raw,
        "noop_in_process_s": noop_inproc_s,
        "noop_cli_s": noop_cli_s,
        "noop_loaded_model": model_loaded,
        "noop_reembedded": noop.embedded_passages,
        "one_change_reembedded_passages": one.embedded_passages,
        "one_change_document_passages": expected,
    }
    print(
        f"full build {report.passages} passages + {report.sentences} sentences in {build_s:.1f}s: "
        f"{texts_per_s_build:.0f} texts/s vs raw encode {texts_per_s_raw:.0f}/s "
        f"({result['throughput_ratio']:.2f}x, target >= 0.9x); no-op {noop_inproc_s * 1000:.0f} ms "
        f"in process, {noop_cli_s:.2f}s as a CLI process, model loaded: {model_loaded}; "
        f"one changed document re-embedded {one.embedded_passages} passages "
        f"(it has {expected})"
    )
    save("build", result)
    return result


if __name__ == "__main__":
    main()
