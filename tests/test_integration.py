"""The real packaged model over the shipped corpus: eval floors, verbatim guard, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from qa_bot.evaluate import QuestionSetError, evaluate, load_questions
from tests.conftest import DATA, ROOT

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def dev_report(real_bot):
    return evaluate(real_bot, load_questions(DATA / "dev.json"))


@pytest.fixture(scope="module")
def own_report(real_bot):
    return evaluate(real_bot, load_questions(DATA / "questions.json"))


def test_dev_set_meets_the_floors(dev_report):
    # Floors below the measured figures (README) so run-to-run noise cannot flake CI.
    assert dev_report.top1 >= 0.8, dev_report.misses
    assert dev_report.top3 >= 0.9, dev_report.misses
    assert dev_report.false_refusals <= 0.1
    assert dev_report.unanswerable_refused >= 0.66
    assert dev_report.median_quote_chars <= 350


def test_own_question_set_meets_the_floors(own_report):
    assert own_report.n >= 60
    assert own_report.top1 >= 0.8, own_report.misses
    assert own_report.unanswerable_refused >= 0.75, own_report.misses


def test_held_out_set_meets_the_floors(real_bot):
    report = evaluate(real_bot, load_questions(DATA / "heldout.json"))
    assert report.top1 >= 0.8, report.misses
    assert report.false_refusals <= 0.1
    assert report.verbatim_violations == 0


def test_no_answer_ever_shows_text_that_is_not_in_the_document(dev_report, own_report):
    assert dev_report.verbatim_violations == 0
    assert own_report.verbatim_violations == 0


def test_who_question_is_answered_by_the_speaker_attribution(real_bot):
    result = real_bot.ask("Who leads the US Office of Hagar International?")
    assert result.found
    assert result.quotes[0].speaker.startswith("Ms. Catherine Kirkendall")


def test_follow_up_after_a_who_question(real_bot):
    result = real_bot.ask("What did she call for?", history=["Who is Catherine Kirkendall?"])
    assert result.found
    assert result.quotes[0].speaker.startswith("Ms. Catherine Kirkendall")


def test_page_break_sentence_is_quoted_whole(real_bot):
    result = real_bot.ask("What did the survivor say about perpetrators and institutions?")
    text = result.quotes[0].text
    assert "such as poverty, reform global immigration systems" in text
    assert real_bot.is_verbatim(result.quotes[0])


@pytest.mark.parametrize(
    "question",
    ["What is the capital of France?", "How many people attended?", "Wie spät ist es in Berlin?"],
)
def test_off_topic_questions_are_refused(real_bot, question):
    assert not real_bot.ask(question).found


def test_cli_ask_json_and_eval(real_bot, tmp_path):
    env = {**os.environ, "QA_BOT_INDEX": str(real_bot.settings.index), "HF_HUB_OFFLINE": "1"}
    cli = [sys.executable, "-m", "qa_bot"]
    out = subprocess.run(
        [*cli, "ask", "--json", "Who is the Permanent Representative of Cyprus?"],
        capture_output=True, text=True, env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    data = json.loads(out.stdout)
    assert data["found"] and "Maria Michail" in data["quotes"][0]["speaker"]
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    failed = subprocess.run(
        [*cli, "eval", str(bad)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert failed.returncode == 1
    assert "not valid JSON" in failed.stderr and "Traceback" not in failed.stderr


def test_question_set_errors_name_the_item(tmp_path):
    path = tmp_path / "q.json"
    path.write_text(json.dumps([{"question": "x", "kind": "factoid"}]))
    with pytest.raises(QuestionSetError, match=r"item 0 .* has no gold"):
        load_questions(path)


def test_cli_build_reports_each_bad_file_once_and_indexes_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.md").write_text("# Good\n\nThe river is clean.\n")
    (corpus / "latin.md").write_bytes(b"caf\xe9")
    env = {**os.environ, "QA_BOT_CORPUS": str(corpus), "QA_BOT_INDEX": str(tmp_path / "i")}
    out = subprocess.run(
        [sys.executable, "-m", "qa_bot", "build"], capture_output=True, text=True, env=env,
        cwd=ROOT, check=True,
    )  # fmt: skip
    assert out.stderr.count("latin.md: not valid UTF-8 (byte 0xe9 at offset 3)") == 1
    assert "indexed 1 documents" in out.stdout and "Traceback" not in out.stderr
    again = subprocess.run(
        [sys.executable, "-m", "qa_bot", "build"], capture_output=True, text=True, env=env,
        cwd=ROOT, check=True,
    )  # fmt: skip
    assert "re-embedded 0 passages" in again.stdout
