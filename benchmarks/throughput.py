"""Answers per second of one server with 1 client and with 8 clients, in one run.

Starts ``qa-bot serve`` on a loopback port in its own process and asks through the REST
form of ``/ask`` for ``THROUGHPUT_SECONDS`` per phase: 1 client, then 8, then 1 and 8 again
(interleaved, so a machine that gets busier mid-run affects both): more clients should not
give fewer answers per second. Bounded in time; loopback only.
"""

from __future__ import annotations

import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import httpx

from benchmarks.common import RESULTS, ROOT, save
from benchmarks.soak import _ask, _free_port, _questions, _wait_for_ready

SECONDS = float(os.environ.get("THROUGHPUT_SECONDS", "45"))
PHASES = (1, 8, 1, 8)


def _phase(url: str, clients: int, questions: list[str]) -> dict:
    stop = time.monotonic() + SECONDS
    cycle = itertools.cycle(questions)
    lock = threading.Lock()
    latencies: list[float] = []
    failures = 0

    def user() -> None:
        nonlocal failures
        with httpx.Client(base_url=url, timeout=120) as http:
            while time.monotonic() < stop:
                with lock:
                    question = next(cycle)
                t0 = time.perf_counter()
                ok, _ = _ask(http, question)
                with lock:
                    latencies.append(time.perf_counter() - t0)
                    failures += not ok

    threads = [threading.Thread(target=user) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "clients": clients,
        "answers": len(latencies),
        "failures": failures,
        "answers_per_s": round(len(latencies) / elapsed, 2),
        "p50_s": round(statistics.median(ordered), 3) if ordered else None,
        "p95_s": round(ordered[int(0.95 * (len(ordered) - 1))], 3) if ordered else None,
    }


def main() -> dict:
    questions = _questions()
    port = _free_port()
    with tempfile.TemporaryDirectory() as index:
        env = {**os.environ, "QA_BOT_INDEX": index, "HF_HUB_OFFLINE": "1",
               "GRADIO_ANALYTICS_ENABLED": "False", "QA_BOT_WATCH_INTERVAL": "0"}  # fmt: skip
        subprocess.run([sys.executable, "-m", "qa_bot", "build"], env=env, cwd=ROOT,
                       check=True, capture_output=True)  # fmt: skip
        proc = subprocess.Popen(
            [sys.executable, "-m", "qa_bot", "serve", "--port", str(port)],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        try:
            _wait_for_ready(proc)
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # type: ignore[union-attr]
            url = f"http://127.0.0.1:{port}/"
            phases = [_phase(url, n, questions) for n in PHASES]
        finally:
            proc.terminate()
            proc.wait(60)
    one = [p["answers_per_s"] for p in phases if p["clients"] == 1]
    eight = [p["answers_per_s"] for p in phases if p["clients"] == 8]
    result = {
        "seconds_per_phase": SECONDS,
        "phases": phases,
        "one_client_answers_per_s": round(statistics.mean(one), 2),
        "eight_clients_answers_per_s": round(statistics.mean(eight), 2),
        "eight_over_one": round(statistics.mean(eight) / statistics.mean(one), 2),
    }
    save("throughput", result)
    return result


if __name__ == "__main__":
    print(main())
    print(f"written to {RESULTS / 'throughput.json'}")
