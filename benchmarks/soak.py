"""The chat server under a long run: first vs tenth answer, and memory over 5,000 questions.

Starts ``qa-bot serve`` on a loopback port in its own process, asks through the public
``/ask`` endpoint (its REST form, one connection per user) from 4 threads, and records the server's resident
memory every 250 answers. Bounded: 5,000 questions, loopback only.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from benchmarks.common import RESULTS, ROOT, save

REQUESTS = int(os.environ.get("SOAK_REQUESTS", "5000"))
EVERY = 250
THREADS = 4


def _questions() -> list[str]:
    out = []
    for name in ("dev.json", "blind.json", "questions.json", "questions-3.json"):
        out += [q["question"] for q in json.loads((ROOT / "tests/data" / name).read_text())]
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def _wait_for_ready(proc: subprocess.Popen) -> float:
    """Seconds until the server says it answers (after its own warm-up question)."""
    t0 = time.perf_counter()
    for line in proc.stdout:  # type: ignore[union-attr]
        if "answering at" in line:
            return time.perf_counter() - t0
    raise RuntimeError(f"server exited with {proc.wait()}")


def _ask(http: httpx.Client, question: str) -> tuple[bool, str]:
    """One question through the server's REST API (POST, then the event stream)."""
    try:
        started = http.post("gradio_api/call/ask", json={"data": [question, []]})
        started.raise_for_status()
        stream = http.get(f"gradio_api/call/ask/{started.json()['event_id']}").text
    except (httpx.HTTPError, KeyError, ValueError) as err:
        return False, repr(err)
    return stream.startswith("event: complete"), stream[:200]


def main() -> dict:
    from gradio_client import Client

    questions = _questions()
    port = _free_port()
    server_log = (RESULTS / "soak-server.log").open("w")
    with tempfile.TemporaryDirectory() as index:
        env = {**os.environ, "QA_BOT_INDEX": index, "HF_HUB_OFFLINE": "1",
               "GRADIO_ANALYTICS_ENABLED": "False"}  # fmt: skip
        subprocess.run([sys.executable, "-m", "qa_bot", "build"], env=env, cwd=ROOT,
                       check=True, capture_output=True)  # fmt: skip
        proc = subprocess.Popen(
            [sys.executable, "-m", "qa_bot", "serve", "--port", str(port)],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=server_log, text=True,
        )  # fmt: skip
        try:
            started_s = _wait_for_ready(proc)
            # Keep reading the server's stdout, so that a full pipe can never stall it.
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # type: ignore[union-attr]
            url = f"http://127.0.0.1:{port}/"
            first = Client(url, verbose=False)
            timings = []
            for _ in range(10):  # one user asks one question ten times after the start
                t0 = time.perf_counter()
                first.predict(questions[0], [], api_name="/ask")
                timings.append(time.perf_counter() - t0)
            curve = [(0, _rss_mb(proc.pid))]
            lock = threading.Lock()
            done = itertools.count(1)
            cycle = itertools.cycle(questions)
            failures: list[str] = []
            local = threading.local()

            def one(_: int) -> None:
                with lock:
                    q = next(cycle)
                if not hasattr(local, "http"):  # one connection per user thread
                    local.http = httpx.Client(base_url=url, timeout=120)
                ok, detail = _ask(local.http, q)
                if not ok:
                    failures.append(f"{q!r}: {detail}")
                n = next(done)
                if n % EVERY == 0:
                    curve.append((n, _rss_mb(proc.pid)))
                    print(f"{n} answers, RSS {curve[-1][1]:.0f} MB, {len(failures)} failed",
                          file=sys.stderr, flush=True)  # fmt: skip

            t0 = time.perf_counter()
            with ThreadPoolExecutor(THREADS) as pool:
                list(pool.map(one, range(REQUESTS)))
            soak_s = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    curve.sort()
    tail = [mb for n, mb in curve if n >= REQUESTS - 2000]
    result = {
        "requests": REQUESTS,
        "threads": THREADS,
        "server_start_s": started_s,
        "first_ten_answers_s": timings,
        "first_answer_s": timings[0],
        "tenth_answer_s": timings[9],
        "first_vs_tenth": timings[0] / timings[9],
        "answers_per_s": REQUESTS / soak_s,
        "failed_requests": len(failures),
        "failures": failures[:20],
        "rss_mb": curve,
        "rss_growth_last_2000_mb": (tail[-1] - tail[0]) if tail else None,
    }
    print(
        f"server first answer {timings[0] * 1000:.0f} ms, tenth {timings[9] * 1000:.0f} ms "
        f"({result['first_vs_tenth']:.2f}x, target <= 1.5x); {REQUESTS} answers at "
        f"{result['answers_per_s']:.1f}/s; RSS {curve[0][1]:.0f} -> {curve[-1][1]:.0f} MB, "
        f"growth over the last 2000: {result['rss_growth_last_2000_mb']:.1f} MB (target < 5)"
    )
    save("soak", result)
    _plot(curve, RESULTS / "soak.png")
    return result


def _plot(curve: list[tuple[int, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot([n for n, _ in curve], [mb for _, mb in curve], "o-")
    ax.set_xlabel("answers served")
    ax.set_ylabel("server RSS (MiB)")
    ax.set_title("Chat server memory over a soak")
    ax.set_ylim(bottom=0)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
