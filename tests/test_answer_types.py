"""What a question asks for, the entities a sentence holds, the phrase that answers, and
questions spelled the way people type them."""

from __future__ import annotations

import pytest

from qa_bot.answer.features import typed_entities
from qa_bot.answer.query import analyse, answer_type
from qa_bot.answer.quotes import answer_span, lacks
from qa_bot.bot import QABot
from qa_bot.index.spelling import Speller
from qa_bot.ingest.entities import annotate
from qa_bot.types import Sentence
from tests.conftest import FakeCrossEncoder


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("In which city was the first Global Forum for Survivors held?", "place"),
        ("Where was the hearing held?", "place"),
        ("Where does trafficking happen?", ""),  # answered by common nouns ("online")
        ("What percentage of detected trafficking victims are women?", "share"),
        ("How much money did the Trust Fund distribute in 2024?", "money"),
        ("What is the annual budget of UNODC?", "money"),
        ("How many panellists were women?", "count"),
        ("How long did the hearing last?", "duration"),
        ("On what date was the hearing held?", "date"),
        ("When will the high-level meeting vote?", "date"),
        ("Who moderated the panel?", "person"),
        ("Who should protect victims?", ""),  # "Member States"
        ("Who is Catherine Kirkendall?", ""),  # asks for a role, not a person
        ("Which company does Colin Ward work for?", "organisation"),
        ("Which companies should act?", ""),  # "technology companies"
        ("What did the Special Rapporteur stress?", ""),
    ],
)
def test_what_a_question_asks_for(question, expected):
    assert answer_type(question) == expected


def _sentence(text: str, speaker: str | None = None) -> Sentence:
    (entities,) = annotate([text])
    return Sentence(0, 0, "doc.md", 0, len(text), text, "", speaker, entities)


def test_entities_are_found_with_their_clause():
    s = _sentence("The forum was held in Vienna on 3 May 2024, and 40 survivors spoke.")
    labels = {s.text[a:b]: label for label, a, b, _, _ in s.entities}
    assert labels["Vienna"] == "GPE" and labels["3 May 2024"] == "DATE"
    for _, a, b, c_start, c_end in s.entities:
        assert c_start <= a < b <= c_end <= len(s.text)


def test_a_sentence_without_the_asked_kind_says_what_it_lacks(tiny_settings, fake):
    bot = QABot(tiny_settings, fake, FakeCrossEncoder())
    index = bot.index
    query = analyse("In which city did the river council meet?", [], index.speakers)
    met = next(s for s in index.sentences if "Springfield" in s.text and "met" in s.text)
    fish = next(s for s in index.sentences if "Fish numbers" in s.text)
    assert typed_entities(query, met) and not typed_entities(query, fish)
    assert lacks(index, query, fish.id) == "no place is named"
    span = answer_span(query, met)
    assert span is not None and met.text[span[0] : span[1]] == "Springfield"


def test_an_entity_the_question_names_is_not_an_answer():
    s = _sentence("In 2024 the council spent 40,000 euros on filters.")
    asked = analyse("How much did the council spend in 2024?", [], [])
    typed = typed_entities(asked, s)
    assert [s.text[a:b] for a, b in typed] == ["40,000 euros"]


def test_the_speaker_line_names_a_person_and_an_organisation():
    s = _sentence("She called for new filters.", "Ms. Jane Doe, Director of the Water Agency")
    query = analyse("Which organisation called for new filters?", [], [])
    assert (-1, -1) in typed_entities(query, s)


def test_words_the_collection_never_uses_are_matched_to_its_own():
    speller = Speller(["The panel discussion was moderated by Ms. Delphine Schantz.",
                       "A survivor asked for compensation. Traffickers exploit technology."])  # fmt: skip
    fixed, changes = speller.correct("who was the moderater of the pannel??")
    assert fixed == "who was the moderated of the panel??"
    assert ("pannel", "panel") in changes
    # A common English word the collection lacks is asked as it is: the honest answer
    # to "budget" in a text without one is that the documents don't say.
    assert speller.correct("What is the annual budget?") == ("What is the annual budget?", ())
    fixed, _ = speller.correct("wat did the survivor lady say abt compensation")
    assert fixed == "did the survivor lady say compensation"  # casual words dropped
    assert speller.correct("Is Schantz on the pannel?")[0] == "Is Schantz on the panel?"
    assert speller.correct("What about Shantz?")[0] == "What about Schantz?"


def test_the_corrected_question_is_searched_and_said(tiny_settings, fake):
    bot = QABot(tiny_settings, fake, FakeCrossEncoder())
    result = bot.ask("What did the Mayor of Springfeild promise?", min_confidence=0)
    assert result.question == "What did the Mayor of Springfeild promise?"  # as typed
    assert "Searched for: What did the Mayor of Springfield promise?" in result.notes
    assert "funding" in result.quotes[0].text
