"""The real packaged model over the shipped corpus: eval floors, verbatim guard, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from qa_bot.evaluate import evaluate
from qa_bot.questions import QuestionSetError, load_questions
from tests.conftest import DATA, ROOT

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def dev_report(real_bot):
    return evaluate(real_bot, load_questions(DATA / "dev.json"), "dev")


@pytest.fixture(scope="module")
def blind_report(real_bot):
    return evaluate(real_bot, load_questions(DATA / "blind.json"), "blind")


# Floors sit below the figures measured on these held-out sets (README "Quality"; never
# fitted on), so that a real regression fails while run-to-run noise cannot.
def test_dev_set_meets_the_floors(dev_report):
    assert dev_report.top1 >= 0.85, dev_report.misses
    assert dev_report.top3 >= 0.9, dev_report.misses
    assert dev_report.false_refusals <= 0.1
    assert dev_report.unanswerable_refused >= 0.66
    assert dev_report.median_quote_chars <= 400


def test_blind_set_meets_the_floors(blind_report):
    assert blind_report.n >= 50
    assert blind_report.top1 >= 0.83, blind_report.misses
    assert blind_report.top3 >= 0.88, blind_report.misses
    assert blind_report.false_refusals <= 0.1
    assert blind_report.unanswerable_refused >= 0.6, blind_report.misses


def test_multi_document_set_finds_answers_outside_the_biggest_document(real_bot, tmp_path):
    from qa_bot.bot import QABot
    from qa_bot.questions import load_set

    qs = load_set(DATA / "multidoc" / "questions.json", tmp_path)
    bot = QABot(
        real_bot.settings.with_(corpus=qs.corpus, index=tmp_path / "index"),
        real_bot.embedder, real_bot.reranker,
    )  # fmt: skip
    report = evaluate(bot, qs.items, qs.name)
    assert report.top1 >= 0.72, report.misses
    assert report.top3 >= 0.82, report.misses
    assert report.false_refusals <= 0.1
    assert report.verbatim_violations == 0
    apache = bot.ask("Do I have to mark files I modified before redistributing them?")
    assert apache.quotes[0].document == "apache-license-2.0.txt"


def test_own_question_sets_still_answer_as_fitted(real_bot):
    # questions*.json were fitted on: a regression guard, not a quality figure.
    for name in ("questions.json", "questions-2.json", "questions-3.json"):
        report = evaluate(real_bot, load_questions(DATA / name), name)
        assert report.top1 >= 0.8, (name, report.misses)
        assert report.verbatim_violations == 0


def test_no_answer_ever_shows_text_that_is_not_in_the_document(dev_report, blind_report):
    assert dev_report.verbatim_violations == 0
    assert blind_report.verbatim_violations == 0


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


# The failures that issue 8 lists, each a user-visible case. One is still refused: the
# right sentence ranks first, but two passages share the answer (a small lead), so the
# confidence stays just under the threshold ("held" no longer counts as a missing word:
# 0.16 -> 0.31; a date now covers "date", refitted: 0.36 under 0.361; "When was the hearing
# held?" is answered).
UNSURE = "right first sentence, confidence 0.36 just under the fitted threshold 0.361"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Who is Catherine Kirkendall?",
            "Executive Director of the US Office at Hagar International",
        ),
        ("Which company does Colin Ward represent?", "Marinus Analytics"),
        pytest.param(
            "On what date was the hearing held?",
            "30 June 2025",
            marks=pytest.mark.xfail(strict=True, reason=UNSURE),
        ),
        # The date line under the title now says where the hearing was (0.35).
        ("Where was the hearing held?", "United Nations Headquarters, New York"),
        ("How was the hearing closed?", "closed by statements from the co-facilitators"),
    ],
)
def test_answers_that_used_to_be_refused_or_misplaced(real_bot, question, expected):
    """The failures issue 8 lists; each must be answered by its first quote."""
    result = real_bot.ask(question)
    assert result.found, (question, result.confidence, [q.text for q in result.related])
    first = result.quotes[0]
    assert expected in f"{first.text} {first.speaker or ''}", first.text


def test_question_the_document_never_answers_is_refused(real_bot):
    result = real_bot.ask("What is the annual budget of UNODC?")
    assert not result.found and result.quotes == ()


def test_a_sentence_scores_the_same_whatever_else_was_retrieved(real_bot):
    """The INT8 cross-encoder run on a batch gives a pair a logit that depends on its batch
    mates; a sentence's score (and so the answer) must not depend on the other candidates."""
    question = "What did Ms. Waly say about survivors?"
    target = "Ms. Waly emphasized the importance of engaging all stakeholders."
    others = [
        "The hearing was closed by statements from the co-facilitators.",
        "Children represent over one-third of detected trafficking victims globally, and "
        "women and girls remain particularly vulnerable to sexual exploitation and forced "
        "marriage, as several speakers stressed during the interactive discussion.",
        "Technology companies were urged to act.",
    ]
    alone = real_bot.reranker.score(question, [target])[0]
    for batch in ([target, *others], [*others, target], [others[1], target]):
        scores = real_bot.reranker.score(question, batch)
        assert scores[batch.index(target)] == alone


def test_confidence_is_a_probability_and_orders_answers(real_bot):
    sure = real_bot.ask("What share of detected trafficking victims are children?")
    unsure = real_bot.ask("What is the capital of France?")
    assert 0.0 <= unsure.confidence < sure.confidence <= 1.0


def test_zero_threshold_always_returns_the_best_quote(real_bot):
    result = real_bot.ask("What is the capital of France?", min_confidence=0.0)
    assert result.found and result.quotes
    assert real_bot.is_verbatim(result.quotes[0])
