"""The command line in scripts: closed pipes, batch questions, hostile text, exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa_bot.bot import QABot
from qa_bot.cli import main
from qa_bot.config import Settings
from tests.conftest import DATA, ROOT, write_corpus

pytestmark = pytest.mark.integration
CLI = [sys.executable, "-m", "qa_bot"]


def _env(bot: QABot) -> dict[str, str]:
    return {**os.environ, "QA_BOT_INDEX": str(bot.settings.index),
            "QA_BOT_CORPUS": str(bot.settings.corpus), "HF_HUB_OFFLINE": "1"}  # fmt: skip


def _run_into_closed_pipe(args: list, env: dict, stdin: bytes | None = None):
    """Run the CLI with its stdout a pipe whose reader has already gone (as after head)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [*CLI, *args], stdout=write, stderr=subprocess.PIPE, input=stdin, env=env, cwd=ROOT
        )
    finally:
        os.close(write)


@pytest.mark.parametrize("args", [["ask", "Who moderated the panel?", "--json"], ["ask", "-"]])
def test_a_reader_that_stops_early_ends_the_command_quietly(real_bot, args):
    done = _run_into_closed_pipe(args, _env(real_bot), stdin=b"Who moderated the panel?\n" * 3)
    assert done.returncode == 0
    assert done.stderr == b""


def test_an_invalid_byte_or_surrogate_in_the_question_gets_a_normal_answer(real_bot):
    for question in (b"Who moderated the \xff panel?", "Who moderated the panel?\ud800"):
        arg = question if isinstance(question, bytes) else question.encode("utf-8", "surrogatepass")
        out = subprocess.run([*CLI, "ask", "--json", arg], capture_output=True, env=_env(real_bot),
                             cwd=ROOT, check=True)  # fmt: skip
        data = json.loads(out.stdout)
        assert data["found"] and "Delphine Schantz" in data["quotes"][0]["text"]
        assert b"Traceback" not in out.stderr


def _batch(settings: Settings, lines: bytes, monkeypatch, capsys, *extra: str):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    code = main(["--index", str(settings.index), "--corpus", str(settings.corpus),
                 "ask", "-", *extra])  # fmt: skip
    return code, capsys.readouterr()


def test_batch_mode_gives_one_json_line_per_question_equal_to_ask(real_bot, monkeypatch, capsys):
    questions = [q["question"] for q in json.loads((DATA / "blind.json").read_text())][:50]
    assert len(questions) == 50
    code, out = _batch(real_bot.settings, "\n".join(questions).encode() + b"\n", monkeypatch,
                       capsys, "--json")  # fmt: skip
    assert code == 0
    lines = out.out.splitlines()
    assert len(lines) == 50
    for question, line in zip(questions, lines, strict=True):
        assert json.loads(line) == real_bot.ask(question).to_dict()


def test_batch_lines_carry_history_and_bad_lines_are_named(real_bot, monkeypatch, capsys):
    follow = {"question": "What did she call for?", "history": ["Who is Catherine Kirkendall?"]}
    lines = [json.dumps(follow), '{"question": 3}', "{broken", "", "Who moderated the panel?"]
    code, out = _batch(real_bot.settings, "\n".join(lines).encode(), monkeypatch, capsys, "--json")
    assert code == 2
    got = [json.loads(line) for line in out.out.splitlines()]
    assert len(got) == 5
    assert got[0] == real_bot.ask(follow["question"], follow["history"]).to_dict()
    assert got[1] == {"line": 2, "error": 'a JSON line needs "question" as a string'}
    assert got[2]["line"] == 3 and got[2]["error"].startswith("not valid JSON: ")
    assert "line 3" not in got[2]["error"] and " at at " not in got[2]["error"]
    assert got[3] == {"line": 4, "error": "an empty line; expected a question or a JSON object"}
    assert got[4]["found"]


def test_plain_batch_output_keeps_one_block_per_input_line(real_bot, monkeypatch, capsys):
    code, out = _batch(real_bot.settings, b"Who moderated the panel?\n\n{broken\nWho leads Hagar?\n",
                       monkeypatch, capsys)  # fmt: skip
    assert code == 2
    blocks = out.out.strip().split("\n\n")
    assert len([b for b in blocks if b.startswith("(line ")]) == 2
    assert "(line 2: not a question)" in out.out and "(line 3: not a question)" in out.out
    assert out.out.index("(line 2") < out.out.index("(line 3") < out.out.index("Hagar")
    assert (
        "qa-bot: line 2: an empty line" in out.err and "qa-bot: line 3: not valid JSON" in out.err
    )


def test_options_are_named_as_options_in_errors(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["ask", "--top-k", "0", "x"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "argument --top-k: must be at least 1" in err and "bad setting" not in err


def test_batch_text_mode_and_usage_errors(real_bot, monkeypatch, capsys):
    code, out = _batch(real_bot.settings, b"Who moderated the panel?\n\xffWho leads Hagar?\n",
                       monkeypatch, capsys)  # fmt: skip
    assert code == 0
    assert out.out.count("Estimated chance") == 2 and "Delphine Schantz" in out.out
    code, out = _batch(real_bot.settings, b"x\n", monkeypatch, capsys, "--history", "earlier")
    assert code == 2 and "batch mode" in out.err
    with pytest.raises(SystemExit) as stop:
        main(["ask", "--no-such-option", "x"])
    assert stop.value.code == 2


def test_ask_for_one_speaker_and_an_unknown_speaker_named_as_such(real_bot, capsys):
    where = ["--index", str(real_bot.settings.index), "--corpus", str(real_bot.settings.corpus)]
    code = main([*where, "ask", "--json", "--speaker", "Chumbow", "What did she call for?"])
    assert code == 0
    quotes = json.loads(capsys.readouterr().out)["quotes"]
    assert quotes and all("Chumbow" in q["speaker"] for q in quotes)
    code = main([*where, "ask", "--speaker", "Mexico", "What did they say?"])
    err = capsys.readouterr().err
    assert code == 2 and "no speaker 'Mexico' in these documents" in err and "Waly" in err


def test_ask_held_to_a_document_and_an_unknown_document_named_as_such(real_bot, capsys):
    where = ["--index", str(real_bot.settings.index), "--corpus", str(real_bot.settings.corpus)]
    code = main([*where, "ask", "--json", "--doc", "gpa-trafficking-hearing-2025-06-30",
                 "--doc", "GPA-trafficking-hearing-2025-06-30.md", "Who moderated the panel?"])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["documents"] == ["gpa-trafficking-hearing-2025-06-30.md"]
    assert "Schantz" in out["quotes"][0]["text"] and "Searched 1 of 1 document:" in out["notes"][0]
    code = main([*where, "ask", "--doc", "minutes.pdf", "Who moderated the panel?"])
    err = capsys.readouterr().err
    assert code == 2 and "no document 'minutes.pdf'" in err
    assert "gpa-trafficking-hearing-2025-06-30.md" in err


HOSTILE = (
    "# Harbour Report\x1b]0;pwned\x07\n\n"
    "The harbour board met in Porto on 4 June 2024.\x1b[2J It voted\x9b31m to dredge the "
    "eastern channel.\n"
)


def test_a_corpus_with_terminal_escapes_prints_none_of_them(real_bot, tmp_path: Path):
    name = "harbour\x1b[31m.md"  # file names can hold escapes too
    corpus = write_corpus(tmp_path / "corpus", {name: HOSTILE})
    settings = Settings(corpus=corpus, index=tmp_path / "index")
    assert QABot(settings, real_bot.embedder, real_bot.reranker).index.passages
    env = {**os.environ, "QA_BOT_INDEX": str(settings.index), "QA_BOT_CORPUS": str(corpus),
           "HF_HUB_OFFLINE": "1"}  # fmt: skip
    outputs = []
    for args in (["ask", "Where did the harbour board meet?"],
                 ["ask", "--json", "Where did the harbour board meet?"], ["build", "--force"]):  # fmt: skip
        done = subprocess.run([*CLI, *args], capture_output=True, env=env, cwd=ROOT, check=True)
        outputs.append(done.stdout + done.stderr)
    assert b"Porto" in outputs[0] and b"harbour" in outputs[0]
    for printed in outputs:
        text = printed.decode("utf-8")
        assert not any(ch in text for ch in "\x1b\x07\x9b"), text
