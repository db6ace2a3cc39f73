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


def _env(real_bot, where: str = "repository") -> dict[str, str]:
    """The environment a reader has after ``make run``: the venv's commands on PATH, and,
    outside the repository, the documented settings as absolute paths."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    env = {**os.environ, "QA_BOT_INDEX": str(real_bot.settings.index), "PATH": path,
           "HF_HUB_OFFLINE": "1"}  # fmt: skip
    env.pop("QA_BOT_CORPUS", None)
    if where == "elsewhere":
        env["QA_BOT_CORPUS"] = str(real_bot.settings.corpus.resolve())
    return env


@pytest.fixture(params=["repository", "elsewhere"])
def where(request, tmp_path) -> tuple[str, Path]:
    """Run from the repository, or from an unrelated folder with the documented settings."""
    return request.param, ROOT if request.param == "repository" else tmp_path


def test_the_python_example_prints_its_answers(real_bot, where):
    (block,) = [b for b in readme_blocks("python") if "from qa_bot import ask" in b]
    done = subprocess.run([sys.executable, "-c", block], env=_env(real_bot, where[0]),
                          cwd=where[1], capture_output=True, text=True, check=True)  # fmt: skip
    lines = done.stdout.splitlines()
    assert lines[0].startswith("True ")
    assert "over one-third of detected trafficking victims" in lines[1]
    assert any("called on Member States" in line for line in lines)
    assert "('Searched 1 of 1 document: gpa-trafficking-hearing-2025-06-30.md.',)" in lines
    assert "'quotes':" in lines[-1]


def test_the_batch_example_prints_one_json_line_per_question(real_bot, where):
    (block,) = [b for b in readme_blocks("bash") if "qa-bot ask - --json" in b]
    done = subprocess.run(["bash", "-c", block], env=_env(real_bot, where[0]), cwd=where[1],
                          capture_output=True, text=True, check=True)  # fmt: skip
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["found"] for a in answers] == [True, True]
    assert "Delphine Schantz" in answers[0]["quotes"][0]["text"]
    assert "Kirkendall called on Member States" in answers[1]["quotes"][0]["text"]


def test_elsewhere_without_the_settings_the_error_names_the_path_and_the_setting(
    real_bot, tmp_path
):
    env = {**_env(real_bot), "QA_BOT_INDEX": str(tmp_path / "embeddings")}
    for command in (["qa-bot", "ask", "Who moderated the panel?"],
                    [sys.executable, "-c", "from qa_bot import ask; ask('Who moderated?')"]):  # fmt: skip
        done = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 1
        assert f"corpus folder {tmp_path / 'corpus'} does not exist" in done.stderr
        assert "QA_BOT_CORPUS" in done.stderr


def test_a_script_beside_a_clone_named_qa_bot_imports_the_package(tmp_path):
    """A clone is a folder named qa_bot without an __init__.py: it must not shadow the
    installed package for a script next to it."""
    (tmp_path / "qa_bot").mkdir()
    (tmp_path / "qa_bot" / "README.md").write_text("a clone\n")
    (tmp_path / "script.py").write_text("from qa_bot import ask\nprint(ask.__module__)\n")
    done = subprocess.run([sys.executable, "script.py"], cwd=tmp_path, capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "qa_bot.bot"
