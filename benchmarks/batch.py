"""50 questions in one batch process (qa-bot ask - --json) against 50 separate
``qa-bot ask --json`` processes, on the shipped corpus; both answer the same 50 questions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from benchmarks.common import ROOT, save

QUESTIONS = 50


def _answer(cli: list[str], question: str, env: dict[str, str]) -> str:
    done = subprocess.run([*cli, "ask", "--json", question], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout


def main() -> dict:
    questions = [q["question"] for q in json.loads((ROOT / "tests/data/blind.json").read_text())]
    questions = questions[:QUESTIONS]
    cli = [sys.executable, "-m", "qa_bot"]
    with tempfile.TemporaryDirectory() as index:
        env = {**os.environ, "QA_BOT_INDEX": index, "HF_HUB_OFFLINE": "1"}
        subprocess.run([*cli, "build"], env=env, cwd=ROOT, check=True, capture_output=True)
        t0 = time.perf_counter()
        batch = subprocess.run([*cli, "ask", "-", "--json"], input="\n".join(questions),
                               env=env, cwd=ROOT, check=True, capture_output=True, text=True)  # fmt: skip
        batch_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        single = [_answer(cli, q, env) for q in questions]
        single_s = time.perf_counter() - t0
    same = [
        json.loads(a) == json.loads(b)
        for a, b in zip(batch.stdout.splitlines(), single, strict=True)
    ]
    result = {
        "questions": len(questions),
        "batch_s": batch_s,
        "separate_processes_s": single_s,
        "speedup": single_s / batch_s,
        "identical_answers": sum(same),
    }
    print(
        f"{len(questions)} questions: one batch process {batch_s:.1f} s, separate processes "
        f"{single_s:.1f} s ({result['speedup']:.1f}x faster); identical answers {sum(same)}"
    )
    save("batch", result)
    return result


if __name__ == "__main__":
    main()
