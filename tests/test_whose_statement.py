"""A question about what someone said is answered only from their statements; a speaker who
never spoke of the topic, or a party that never spoke at all, is said so; a follow-up's
pronoun means the person the last answer named or quoted."""

from __future__ import annotations

import pytest

from qa_bot.answer.scope import UnknownSpeakerError
from qa_bot.bot import QABot
from qa_bot.config import Settings
from tests.conftest import FakeCrossEncoder, write_corpus
from tests.test_turns import BRIEFING


@pytest.fixture
def briefing(tmp_path, fake) -> QABot:
    corpus = write_corpus(tmp_path / "corpus", {"briefing.txt": BRIEFING})
    return QABot(Settings(corpus=corpus, index=tmp_path / "index"), fake, FakeCrossEncoder())


def test_what_a_speaker_said_comes_from_their_statements(briefing):
    answer = briefing.ask("What did Mayor Doe say about the wetlands?", min_confidence=0.0)
    assert answer.quotes[0].speaker == "MAYOR DOE"
    assert "wetlands were restored" in answer.quotes[0].text
    # Jane Roe asked about the wetlands too, but what she said is not what the mayor said.
    asked = briefing.ask("What did Jane Roe say about the wetlands?", min_confidence=0.0)
    assert all(q.speaker == "JANE ROE" for q in asked.quotes)


def test_a_speaker_who_never_spoke_of_the_topic_is_said_not_to_have(briefing):
    answer = briefing.ask("What did Jane Roe say about pollution?")
    assert not answer.found
    assert answer.lacks == "Jane Roe did not speak of pollution"
    assert "topic" in answer.checks or answer.confidence < briefing.threshold


def test_a_party_that_never_spoke_has_no_statement(briefing):
    answer = briefing.ask("What did Governor Black say about the filters?")
    assert not answer.found and not answer.quotes
    assert answer.message == "Governor Black has no statement in these documents."
    assert answer.checks == ("speaker",)


@pytest.mark.parametrize(
    ("question", "party"),
    [
        ("What did the Chinese government say about the filters?", "the Chinese government"),
        ("What did the Governor's statement say about the filters?", "the Governor"),
        ("What did Governor Black's tweet say?", "Governor Black"),
    ],
)
def test_a_body_or_a_statement_named_for_its_party_asks_that_partys_words(
    briefing, question, party
):
    answer = briefing.ask(question)
    assert not answer.found and not answer.quotes
    assert answer.message == f"{party[0].upper()}{party[1:]} has no statement in these documents."


def test_a_pronoun_means_the_person_the_last_answer_quoted(briefing):
    first = "What did Mayor Doe say about the wetlands?"
    follow = briefing.ask("What else did he say?", history=[first], min_confidence=0.0)
    shown = briefing.ask(first, min_confidence=0.0).quotes[0].text
    assert follow.quotes and all(q.speaker == "MAYOR DOE" for q in follow.quotes)
    assert all(q.text != shown for q in follow.quotes)  # not the quote shown already


@pytest.mark.parametrize("question", ["What did she say about the wetlands?", "What is her role?"])
def test_a_pronoun_nothing_resolves_gets_a_question_back(briefing, question):
    answer = briefing.ask(question)
    assert not answer.found and not answer.quotes
    assert answer.message.startswith(f"Who do you mean by “{question.split()[2]}”?")


@pytest.mark.parametrize(
    "question",
    [
        "Which official said he would fund new filters?",  # the person asked for
        "Who said his council will fund new filters?",
        "What did Doe's council fund after he spoke?",  # a name, possessive too
    ],
)
def test_a_pronoun_meaning_someone_the_question_names_is_no_question_back(briefing, question):
    answer = briefing.ask(question, min_confidence=0.0)
    assert not answer.message.startswith("Who do you mean")
    assert answer.quotes and "filters" in answer.quotes[0].text
    # Nor is the pronoun read as the chat's last speaker: the question says whom it means.
    later = briefing.ask(question, history=["What did Jane Roe ask?"], min_confidence=0.0)
    assert not any("Roe" in note for note in later.notes)


SUMMARY = """# Summary of the river hearing

H.E. Mr. Jonibek Hikmat, Permanent Representative of the Republic of Tajikistan, stressed
that young people must be heard on water policy. He called for glacier monitoring.

Ms. Anna Berg, Special Rapporteur on water and sanitation, warned that wells run dry in
summer. She urged Member States to fund rural pipes.

Mr. Omar Haddad, Director of the World Health Organization (WHO) Office in Geneva, noted
that cholera follows floods.
"""

ARTICLE = """# Herons

Grey herons grow to a height of one metre. According to the Field Guide, herons nest in
tall trees near water.
"""


@pytest.fixture
def hearing(tmp_path, fake) -> QABot:
    corpus = write_corpus(tmp_path / "corpus", {"summary.md": SUMMARY, "herons.md": ARTICLE})
    return QABot(Settings(corpus=corpus, index=tmp_path / "index"), fake, FakeCrossEncoder())


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        # Named by the proper name of the party they speak for, or by their title.
        ("What did the Tajik ambassador say about young people?", "Hikmat"),
        ("What did the Special Rapporteur say about wells?", "Berg"),
        ("What did the WHO director say about cholera?", "Haddad"),  # an acronym is a name
    ],
)
def test_a_speaker_named_by_party_or_title_is_held_to_their_statements(hearing, question, speaker):
    answer = hearing.ask(question, min_confidence=0.0)
    assert answer.quotes and all(speaker in (q.speaker or "") for q in answer.quotes)


def test_a_follow_up_pronoun_means_the_speaker_named_by_party(hearing):
    first = "What did the Tajik ambassador say about young people?"
    follow = hearing.ask("What did he call for?", history=[first], min_confidence=0.0)
    assert follow.quotes and "glacier monitoring" in follow.quotes[0].text


def test_according_to_in_a_document_without_speakers_is_not_held_to_reports(hearing):
    # An article records no speakers: "according to X" there is any reported fact, not a
    # statement to find in a speaker's turns (no "has no statement" refusal).
    answer = hearing.ask("According to the Encyclopedia, how tall do grey herons grow?",
                         min_confidence=0.0)  # fmt: skip
    assert "speaker" not in answer.checks
    assert answer.quotes and "one metre" in answer.quotes[0].text


@pytest.mark.parametrize(
    ("speaker", "expected"),
    [("the Special Rapporteur", "Berg"), ("Tajikistan", "Hikmat"), ("Anna Berg", "Berg")],
)
def test_ask_can_be_held_to_one_speaker_by_any_name(hearing, speaker, expected):
    answer = hearing.ask("What did they call for?", speaker=speaker, min_confidence=0.0)
    assert answer.quotes and all(expected in (q.speaker or "") for q in answer.quotes)


def test_an_unknown_speaker_is_an_error_naming_the_speakers(hearing):
    with pytest.raises(UnknownSpeakerError, match=r"no speaker 'Mexico'.*Jonibek Hikmat"):
        hearing.ask("What did they call for?", speaker="Mexico")


@pytest.fixture
def opinion(tmp_path, fake) -> QABot:
    from tests.test_turns import OPINION

    corpus = write_corpus(tmp_path / "corpus", {"opinion.md": OPINION})
    return QABot(Settings(corpus=corpus, index=tmp_path / "index"), fake, FakeCrossEncoder())


@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "What did Justice White say in his dissent?",
            "Justice White has no statement in these documents.",
        ),
        # Justice Clark joins the dissent; he wrote none of it.
        (
            "What did Justice Clark write about the federal system?",
            "Justice Clark has no statement in these documents.",
        ),
    ],
)
def test_a_justice_who_wrote_nothing_has_no_statement(opinion, question, said):
    answer = opinion.ask(question)
    assert not answer.found and not answer.quotes
    assert answer.message == said


def test_what_a_dissenting_justice_wrote_comes_from_the_dissent(opinion):
    answer = opinion.ask(
        "What did Justice Harlan write about the federal system?", min_confidence=0.0
    )
    assert answer.quotes[0].speaker == "MR. JUSTICE HARLAN, dissenting"
    assert "federal system" in answer.quotes[0].text


def test_a_pronoun_in_a_question_that_says_enough_is_looked_up_not_asked_back(briefing):
    answer = briefing.ask("Were his wetlands restored last spring?", min_confidence=0.0)
    assert not answer.message.startswith("Who do you mean")
    assert answer.quotes and "wetlands were restored" in answer.quotes[0].text
