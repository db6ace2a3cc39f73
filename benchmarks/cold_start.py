"""Fresh process to first answer (qa-bot ask) against a fresh process that only does the
model work: load both models, encode the question, cross-encode 20 sentences."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

from benchmarks.common import ROOT, median, save

RUNS = 3
QUESTION = "What share of detected trafficking victims are children?"
FLOOR = (
    "from sentence_transformers import SentenceTransformer\n"
    "from qa_bot.embedding import default_model_path\n"
    "m = SentenceTransformer(str(default_model_path()), device='cpu')\n"
    f"m.encode([{QUESTION!r}], normalize_embeddings=True)\n"
    "from qa_bot.rerank import OnnxCrossEncoder\n"
    f"OnnxCrossEncoder().score({QUESTION!r}, ['Children are one third of victims.'] * 20)\n"
)


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t0


def top_imports(env: dict[str, str], n: int = 8) -> list[tuple[str, float]]:
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


def main() -> dict:
    with tempfile.TemporaryDirectory() as index:
        env = {**os.environ, "QA_BOT_INDEX": index, "HF_HUB_OFFLINE": "1"}
        subprocess.run([sys.executable, "-m", "qa_bot", "build"], env=env, cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        ask_s, floor_s = [], []
        for _ in range(RUNS):
            floor_s.append(timed([sys.executable, "-c", FLOOR], env))
            ask_s.append(timed([sys.executable, "-m", "qa_bot", "ask", QUESTION], env))
        imports = top_imports(env)
        gradio_loaded = any(name == "gradio" for name, _ in imports)
    result = {
        "runs": RUNS,
        "ask_median_s": median(ask_s),
        "floor_median_s": median(floor_s),
        "ratio": median(ask_s) / median(floor_s),
        "slowest_imports_s": imports,
        "gradio_imported_by_ask": gradio_loaded,
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
