"""ask() behaviour on a tiny corpus with the fake embedder (fast, deterministic)."""

from __future__ import annotations

import json

import pytest

from qa_bot.bot import EMPTY_QUESTION
from qa_bot.format import answer_to_markdown
from qa_bot.types import Answer


def test_answer_is_a_verbatim_sentence_with_provenance(bot):
    result = bot.ask("How much did fish numbers fall?")
    assert result.found
    quote = result.quotes[0]
    assert quote.text == "Fish numbers fell by 40% over ten years."
    assert quote.document == "alpha.md"
    assert quote.section == "Findings › 1. Fish"
    assert quote.title == "Alpha Report"
    raw = (bot.settings.corpus / "alpha.md").read_text()
    assert raw[quote.start : quote.end] == quote.text
    assert bot.is_verbatim(quote)


def test_exactly_one_model_call_per_question(bot):
    assert bot.index.passages  # build first
    before = bot.embedder.calls
    bot.ask("What did the council approve?")
    assert bot.embedder.calls == before + 1


def test_who_question_names_the_speaker(bot):
    result = bot.ask("Who directs the Water Agency?")
    assert result.found
    assert result.quotes[0].speaker == "Ms. Jane Doe, Director of the Water Agency"
    assert "Jane Doe" in answer_to_markdown(result)


def test_pronoun_sentence_brings_the_sentence_it_depends_on(bot):
    result = bot.ask("What plan did the council approve to clean the river?")
    assert result.quotes[0].text == (
        "The river council met in Springfield on 3 May 2024. It approved a plan to clean the river."
    )


def test_follow_up_resolves_the_speaker_from_history(bot):
    result = bot.ask("What did he promise?", history=["What did the Mayor John Roe say?"])
    assert result.found
    assert result.quotes[0].speaker.startswith("Mr. John Roe")
    assert "promised funding" in result.quotes[0].text


def test_unanswerable_question_is_refused_with_related_passages_apart(bot):
    result = bot.ask("What is the capital of France?")
    assert not result.found
    assert result.quotes == ()
    assert "don't answer" in result.message


def test_refusal_lists_no_noise_as_related(bot):
    assert bot.ask("zxqv plorkt wubba").related == ()


@pytest.mark.parametrize("question", ["", "   ", "\n\t", None])
def test_empty_question_gets_a_clear_message(bot, question):
    result = bot.ask(question)  # type: ignore[arg-type]
    assert not result.found and result.message == EMPTY_QUESTION


def test_huge_question_is_truncated_with_a_note(bot):
    result = bot.ask("fish numbers " * 20000)
    assert len(result.question) <= bot.settings.max_question_chars
    limit = bot.settings.max_question_chars  # the README's figure, not the cut's length
    assert f"The question was longer than {limit} characters" in " ".join(result.notes)


def test_control_characters_and_markup_are_plain_text(bot):
    result = bot.ask("<script>alert(1)</script>\x00\x07 fish [x](javascript:alert(1))")
    assert "\x00" not in result.question
    markdown = answer_to_markdown(result)
    assert "<script>" not in markdown and "](javascript" not in markdown


def test_gibberish_is_refused(bot):
    assert not bot.ask("zxqv plorkt wubba").found


def test_top_k_limits_quotes_and_quotes_come_from_distinct_places(bot):
    result = bot.ask("river plan", top_k=2)
    assert 1 <= len(result.quotes) <= 2
    spans = [(q.document, q.start, q.end) for q in result.quotes]
    for i, (doc, s, e) in enumerate(spans):
        for doc2, s2, e2 in spans[i + 1 :]:
            assert doc != doc2 or e <= s2 or e2 <= s  # no overlap


def test_to_dict_is_json_serialisable_and_complete(bot):
    data = json.loads(json.dumps(bot.ask("Bird counts after wetlands?").to_dict()))
    assert data["found"] is True
    quote = data["quotes"][0]
    assert set(quote) >= {"text", "document", "start", "end", "section", "speaker", "score"}
    assert isinstance(Answer, type)


def test_a_quote_that_no_longer_matches_its_file_is_never_shown(bot):
    assert bot.ask("How much did fish numbers fall?").found
    path = bot.settings.corpus / "alpha.md"
    path.write_text(path.read_text().replace("Fish numbers", "Fish counts!"))
    result = bot.ask("How much did fish numbers fall?")
    assert all(bot.is_verbatim(q) for q in result.quotes)
