"""What the cross-encoder costs: warm ``ask()`` against retrieval alone, and server throughput
with and without reranking, each pair of measurements taken in the same run.

1. One thread (``QA_BOT_ONNX_THREADS=1``, one FAISS thread), on the project's question sets,
   interleaved question by question: ``ask()``, and its floor, the question encoded by the
   same ONNX encoder plus the FAISS search of the passage index. Also ``ask()`` with the
   cross-encoder reading the fixed full depth (``rerank_mass`` 1.0), the way it ran before
   the depth was chosen per question.
2. Servers on loopback, 8 clients for ``RERANK_PHASE_SECONDS`` each, phases interleaved:
   this code; the same code with the cross-encoder switched off (a constant logit: what
   everything but the cross-encoder costs); and, when ``RERANK_BASELINE`` names a checkout
   of earlier code, that code.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.common import ROOT, median, pct, save
from benchmarks.throughput import _phase

SETS = ("dev.json", "blind.json", "nearmiss.json", "typos.json")
ROUNDS = int(os.environ.get("RERANK_ROUNDS", "3"))
PHASE_SECONDS = float(os.environ.get("RERANK_PHASE_SECONDS", "30"))
CLIENTS = 8
# A server whose cross-encoder returns one constant logit: everything else unchanged.
NO_RERANK_SERVER = """
import numpy as np
from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.serve.server import serve

class Constant:
    model_id = "none"
    def score(self, question, texts):
        return np.zeros(len(texts), dtype=np.float32)

settings = Settings.from_env()
serve(bot=QABot(settings, reranker=Constant()),
      ready=lambda url: print(f"qa-bot: answering at {url}", flush=True))
"""


def questions() -> list[str]:
    out: list[str] = []
    for name in SETS:
        out += [q["question"] for q in json.loads((ROOT / "tests/data" / name).read_text())]
    return out


def one_thread(index: str) -> dict:
    """Per question on one thread: ``ask()``, ``ask()`` at full depth, and retrieval alone."""
    import faiss

    from benchmarks.ask_vs_floor import reranked_texts
    from qa_bot.answer.retrieval import CANDIDATES
    from qa_bot.bot import QABot
    from qa_bot.config import Settings
    from qa_bot.index import vectors as vec

    faiss.omp_set_num_threads(1)
    bot = QABot(Settings(corpus=ROOT / "corpus", index=Path(index), onnx_threads=1))
    full = QABot(bot.settings, bot.embedder, bot.reranker,
                 replace(bot.selection, rerank_mass=1.0))  # fmt: skip
    asked = questions()
    for q in asked[:5]:
        bot.ask(q), full.ask(q)
    encoder, model = bot.question_encoder, bot.selection
    pairs = [len(reranked_texts(bot, q)[1]) for q in asked]
    floor_ms, ask_ms, full_ms = [], [], []
    for _ in range(ROUNDS):
        for q in asked:  # interleaved: each sees the same machine state
            t0 = time.perf_counter()
            vector = encoder.encode([q])[0]
            vec.search(bot.index.passage_index, vector, CANDIDATES)
            t1 = time.perf_counter()
            bot.ask(q)
            t2 = time.perf_counter()
            full.ask(q)
            t3 = time.perf_counter()
            floor_ms.append((t1 - t0) * 1000)
            ask_ms.append((t2 - t1) * 1000)
            full_ms.append((t3 - t2) * 1000)
    ratios = [a / f for a, f in zip(ask_ms, floor_ms, strict=True)]
    return {
        "questions": len(asked),
        "rounds": ROUNDS,
        "pairs_mean": round(statistics.mean(pairs), 2),
        "pairs_median": statistics.median(pairs),
        "pairs_full_depth": model.rerank_top,
        "floor_median_ms": round(median(floor_ms), 2),
        "ask_median_ms": round(median(ask_ms), 2),
        "ask_p95_ms": round(pct(ask_ms, 95), 2),
        "full_depth_median_ms": round(median(full_ms), 2),
        "ask_over_floor": round(median(ask_ms) / median(floor_ms), 2),
        "ask_over_floor_per_question_median": round(median(ratios), 2),
        "full_depth_over_floor": round(median(full_ms) / median(floor_ms), 2),
    }


class Server:
    """A server process on a free port over a copy of one index."""

    def __init__(self, name: str, command: list[str], cwd: Path, index: str) -> None:
        from benchmarks.soak import _free_port

        self.name, self.port = name, _free_port()
        env = {**os.environ, "QA_BOT_INDEX": index, "QA_BOT_CORPUS": str(ROOT / "corpus"),
               "QA_BOT_PORT": str(self.port), "QA_BOT_WATCH_INTERVAL": "0",
               "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
               "PYTHONPATH": str(cwd)}  # fmt: skip
        subprocess.run([sys.executable, "-m", "qa_bot", "build"], env=env, cwd=cwd,
                       check=True, capture_output=True)  # fmt: skip
        self.proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}/"

    def ready(self) -> None:
        from benchmarks.soak import _wait_for_ready

        _wait_for_ready(self.proc)
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()  # type: ignore[union-attr]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(60)


def throughput(folder: Path) -> dict:
    """Answers per second with 8 clients: this code, no reranking, and the baseline."""
    import benchmarks.throughput as tp

    tp.SECONDS = PHASE_SECONDS
    serve = [sys.executable, "-m", "qa_bot", "serve"]
    servers = [Server("this code", serve, ROOT, str(folder / "a")),
               Server("cross-encoder off", [sys.executable, "-c", NO_RERANK_SERVER], ROOT,
                      str(folder / "b"))]  # fmt: skip
    baseline = os.environ.get("RERANK_BASELINE")
    if baseline:
        servers.append(Server("baseline", serve, Path(baseline), str(folder / "c")))
    try:
        for server in servers:
            server.ready()
        asked = questions()
        phases: dict[str, list[dict]] = {s.name: [] for s in servers}
        for _ in range(2):
            for server in servers:
                phases[server.name].append(_phase(server.url, CLIENTS, asked))
    finally:
        for server in servers:
            server.stop()
    rate = {n: statistics.mean(p["answers_per_s"] for p in ps) for n, ps in phases.items()}
    out = {"clients": CLIENTS, "seconds_per_phase": PHASE_SECONDS, "phases": phases,
           "answers_per_s": {n: round(r, 2) for n, r in rate.items()}}  # fmt: skip
    if "baseline" in rate:
        out["this_over_baseline"] = round(rate["this code"] / rate["baseline"], 2)
    out["this_over_no_rerank"] = round(rate["this code"] / rate["cross-encoder off"], 2)
    return out


def main() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        result = {"one_thread": one_thread(str(Path(folder) / "index"))}
        print(result, file=sys.stderr, flush=True)
        result["eight_clients"] = throughput(Path(folder))
    save("rerank_cost", result)
    return result


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))
