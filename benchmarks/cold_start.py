"""Fresh process to first answer (qa-bot ask) against the floor of a fresh process that
only imports numpy, faiss, onnxruntime and tokenizers, loads the two ONNX models (the
question encoder exported in the index folder and the cross-encoder) and runs each once:
one question, and as many sentence pairs as ``ask()`` reranks for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from benchmarks.common import ROOT, median, save

RUNS = 5
QUESTION = "What share of detected trafficking victims are children?"
FLOOR = """
import os, numpy, faiss, onnxruntime, tokenizers
from pathlib import Path
from qa_bot.index.query_encoder import FOLDER, OnnxQueryEncoder
from qa_bot.answer.rerank import OnnxCrossEncoder
from qa_bot.index.embedding import model_id
encoder = OnnxQueryEncoder.load(Path(os.environ["QA_BOT_INDEX"]) / FOLDER, model_id("default"))
encoder.encode([{question!r}])
OnnxCrossEncoder().score({question!r}, ["Children are one third of detected victims."] * {pairs})
"""
PAIRS = """
from benchmarks.ask_vs_floor import reranked_texts
from qa_bot.bot import QABot
print(len(reranked_texts(QABot(), {question!r})[1]))
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t0


def top_imports(env: dict[str, str], n: int = 15) -> list[tuple[str, float]]:
    """The slowest cumulative imports of the CLI's ask path (python -X importtime)."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "qa_bot", "ask", QUESTION],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    rows = []
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, raw_name = line[12:].split("|")
            top_level = not raw_name[1:].startswith(" ")
            if cumulative.strip().isdigit() and top_level:
                rows.append((raw_name.strip(), int(cumulative) / 1e6))
    return sorted(rows, key=lambda r: -r[1])[:n]


def _loaded_modules(env: dict[str, str]) -> list[str]:
    """Which heavy packages a CLI answer imports (none of them should be)."""
    probe = (
        "import json, sys\nfrom qa_bot.cli import main\n"
        f"main(['ask', {QUESTION!r}])\n"
        "print('LOADED', json.dumps([m for m in ('torch', 'sentence_transformers', "
        "'transformers', 'gradio') if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return json.loads(out.rsplit("LOADED", 1)[1])


def main() -> dict:
    with tempfile.TemporaryDirectory() as index:
        env = {**os.environ, "QA_BOT_INDEX": index, "HF_HUB_OFFLINE": "1"}
        subprocess.run([sys.executable, "-m", "qa_bot", "build"], env=env, cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        pairs = int(subprocess.run([sys.executable, "-c", PAIRS.format(question=QUESTION)],
                                   env=env, cwd=ROOT, check=True, capture_output=True,
                                   text=True).stdout.split()[-1])  # fmt: skip
        floor = FLOOR.format(question=QUESTION, pairs=pairs)
        ask_s, floor_s = [], []
        for _ in range(RUNS):
            floor_s.append(timed([sys.executable, "-c", floor], env))
            ask_s.append(timed([sys.executable, "-m", "qa_bot", "ask", QUESTION], env))
        imports = top_imports(env)
        loaded = _loaded_modules(env)
    result = {
        "runs": RUNS,
        "pairs": pairs,
        "ask_median_s": median(ask_s),
        "floor_median_s": median(floor_s),
        "ratio": median(ask_s) / median(floor_s),
        "slowest_imports_s": imports,
        "heavy_modules_imported_by_ask": loaded,
    }
    print(
        f"cold qa-bot ask {result['ask_median_s']:.2f}s vs floor {result['floor_median_s']:.2f}s: "
        f"ratio {result['ratio']:.2f}x (target <= 1.3x); slowest imports: "
        + ", ".join(f"{n} {s:.2f}s" for n, s in imports[:4])
    )
    save("cold_start", result)
    return result


if __name__ == "__main__":
    main()
