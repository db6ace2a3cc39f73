"""The README's examples run as written and print what they promise."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.integration


def readme_blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def _env(real_bot) -> dict[str, str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return {**os.environ, "QA_BOT_INDEX": str(real_bot.settings.index), "PATH": path,
            "HF_HUB_OFFLINE": "1"}  # fmt: skip


def test_the_python_example_prints_its_answers(real_bot):
    (block,) = [b for b in readme_blocks("python") if "from qa_bot import ask" in b]
    done = subprocess.run([sys.executable, "-c", block], env=_env(real_bot), cwd=ROOT,
                          capture_output=True, text=True, check=True)  # fmt: skip
    lines = done.stdout.splitlines()
    assert lines[0].startswith("True ")
    assert "over one-third of detected trafficking victims" in lines[1]
    assert any("called on Member States" in line for line in lines)
    assert "'quotes':" in lines[-1]


def test_the_batch_example_prints_one_json_line_per_question(real_bot):
    (block,) = [b for b in readme_blocks("bash") if "qa-bot ask - --json" in b]
    done = subprocess.run(["bash", "-c", block], env=_env(real_bot), cwd=ROOT,
                          capture_output=True, text=True, check=True)  # fmt: skip
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["found"] for a in answers] == [True, True]
    assert "Delphine Schantz" in answers[0]["quotes"][0]["text"]
    assert "Kirkendall called on Member States" in answers[1]["quotes"][0]["text"]
