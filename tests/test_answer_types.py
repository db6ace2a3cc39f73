"""What a question asks for, the entities a sentence holds, the phrase that answers, and
questions spelled the way people type them."""

from __future__ import annotations

import numpy as np
import pytest

from qa_bot.answer.checks.amounts import part_similarity, share_part
from qa_bot.answer.checks.kind import ONLY_SHARE
from qa_bot.answer.checks.registry import run
from qa_bot.answer.checks.when import NO_FUTURE
from qa_bot.answer.checks.where import NO_BIRTH, NO_COUNTRY, NO_STATE
from qa_bot.answer.checks.who import NO_NAME
from qa_bot.answer.compose import answer_span, reason
from qa_bot.answer.facts import Gathered, holds_asked_kind
from qa_bot.answer.features import BASE_FEATURES, candidates
from qa_bot.answer.query import analyse, answer_type, type_cue_terms
from qa_bot.answer.typed import typed_entities
from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.index.spelling import Speller
from qa_bot.ingest.entities import annotate
from qa_bot.ingest.speakers import role_acronym
from qa_bot.text import question_terms
from qa_bot.types import Sentence
from tests.conftest import FakeCrossEncoder, reason_of, write_corpus


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
        ("What total number of victims does the report record?", "count"),
        ("What is the current number of Debian Developers?", "count"),
        ("What was the number one single of 2003?", ""),
        ("How long did the hearing last?", "duration"),
        ("How old was she when she was trafficked?", "age"),
        ("At what age did she start singing?", "age"),
        ("On what date was the hearing held?", "date"),
        ("When will the high-level meeting vote?", "date"),
        ("What was the date of the hearing?", "date"),
        ("What is the closing date for submissions?", "date"),
        ("What was the day like in Vienna?", ""),  # not a day asked
        ("What was the year's theme?", ""),
        ("Who moderated the panel?", "person"),
        ("Who should protect victims?", ""),  # "Member States"
        ("Who is Catherine Kirkendall?", ""),  # asks for a role, not a person
        ("Which company does Colin Ward work for?", "organisation"),
        ("Which Member State hosted the forum?", "place"),
        ("Which companies should act?", ""),  # "technology companies"
        ("Which group is most vulnerable to forced labour?", ""),  # "boys", a group of people
        ("What did the Special Rapporteur stress?", ""),
        # A clock time beside the day it gives.
        ("At what time on Sunday will Marquette honor Kleczka?", "time"),
        # A person's name asked by a kin or a role is no demand for a PERSON entity: the
        # NER misses "Blue Ivy Carter" and "Cornel Wilde" (2 SQuAD right answers lost).
        ("What was the name of Beyonce's daughter?", ""),
    ],
)
def test_what_a_question_asks_for(question, expected):
    assert answer_type(question) == expected


def lacks(index, query, sid: int) -> str:
    """What ``ask`` would say sentence ``sid`` lacks (the first check's reason, else the
    question's words its passage never uses)."""
    facts = Gathered(index, query)(sid)
    return reason(run(query, facts), facts)


def _sentence(text: str, speaker: str | None = None) -> Sentence:
    (entities,) = annotate([text])
    return Sentence(0, 0, "doc.md", 0, len(text), text, "", speaker, entities)


def test_entities_are_found_with_their_clause():
    s = _sentence("The forum was held in Vienna on 3 May 2024, and 40 survivors spoke.")
    labels = {s.text[a:b]: label for label, a, b, _, _ in s.entities}
    assert labels["Vienna"] == "GPE" and labels["3 May 2024"] == "DATE"
    for _, a, b, c_start, c_end in s.entities:
        assert c_start <= a < b <= c_end <= len(s.text)


@pytest.mark.parametrize(
    ("question", "strict"),
    [
        ("When was the first-ever Global Forum for Survivors held?", True),  # a date
        ("When was the Protocol adopted?", True),
        ("What was the date of the hearing?", True),
        ("When do my licenses end?", False),  # "when the term is over"
        ("When the store was launched, what format was used?", False),
        ("When will the high-level meeting vote?", True),  # the future asked: a date
        ("When did Ms. Waly become Executive Director?", True),  # when someone did a thing
        ("How old was she when she was trafficked?", True),
        ("In which city was the forum held?", True),
        ("Who moderated the panel?", False),
        # An amount paid, cost or given is money; "how much" alone may be energy or water.
        ("How much did BeOpen.com pay to hire the PythonLabs team?", True),
        ("How much did Chopin's funeral cost?", True),
        ("How much solar energy is captured by photosynthesis?", False),
        ("How much of the market did the iPod claim?", False),
        ("What is the fee for relicensing the site?", True),  # a fee, a fare, a rent: money
    ],
)
def test_which_questions_only_a_sentence_of_the_asked_kind_can_answer(question, strict):
    assert analyse(question, [], []).strict is strict


@pytest.mark.parametrize(
    ("question", "cues"),
    [
        ("What percentage of detected trafficking victims are women?", ("percentag",)),
        ("Where will the high-level meeting be held?", ("hold",)),  # not the meeting
        ("What is the annual budget of UNODC?", ("budget",)),
        ("Who is Catherine Kirkendall?", ()),
        ("What did the Special Rapporteur stress?", ()),
    ],
)
def test_the_words_naming_the_asked_kind_are_set_apart(question, cues):
    assert type_cue_terms(question) == cues


def _clause(s: Sentence, entity: str) -> str:
    (c_start, c_end) = next((c, d) for _, a, b, c, d in s.entities if s.text[a:b] == entity)
    return s.text[c_start:c_end]


def test_a_clause_ends_where_a_coordinated_statement_begins():
    s = _sentence(
        "Participants noted that children represent over one-third of detected victims, "
        "and that women and girls remain particularly vulnerable."
    )
    clause = _clause(s, "over one-third")
    assert "children" in clause and "victims" in clause
    assert "women" not in clause  # the share is not about women
    # ... and that clause is what a question about a share of women is weighed against
    women = analyse("What share of detected victims are women?", [], [])
    (typed_clause,) = typed_entities(women, s).values()
    assert "women" not in typed_clause


def test_a_relative_clause_keeps_the_noun_it_describes():
    s = _sentence("She praised the Trust Fund, which supports thousands of victims annually.")
    assert _clause(s, "thousands").startswith("the Trust Fund")


def test_a_sentence_without_the_asked_kind_says_what_it_lacks(tiny_settings, fake):
    bot = QABot(tiny_settings, fake, FakeCrossEncoder())
    index = bot.index
    query = analyse("In which city did the river council meet?", [], index.speakers)
    met = next(s for s in index.sentences if "Springfield" in s.text and "met" in s.text)
    fish = next(s for s in index.sentences if "Fish numbers" in s.text)
    assert typed_entities(query, met) and not typed_entities(query, fish)
    assert lacks(index, query, fish.id) == "no city is named"
    span = answer_span(query, met)
    assert span is not None and met.text[span[0] : span[1]] == "Springfield"


@pytest.mark.parametrize(
    ("question", "text", "holds"),
    [
        # A date does not count member states or contributors...
        ("How many member states voted for it?", "The hearing convened on 30 June 2025.", False),
        ("How many contributors signed it?", "A Contributor shall mean any Legal Entity.", False),
        # ...but it counts nights or years ("four nights" is a date to the NER).
        ("How many nights did she perform?", "She performed for four nights in May.", True),
        ("How many films has Eon produced?", "Spectre is the twenty-fourth Bond film.", True),
        # An age is no calendar year ("arrested in 1959"), though a date may hold it.
        ("How old was Jane when she was arrested?", "Jane was arrested in 1959.", False),
        ("How old was Jane when she was arrested?", "Jane, aged 19 in 1959, was arrested.", True),
        ("How old was Jane when she was arrested?", "Jane was nineteen years old.", True),
        # A day of the month counts nothing ("March 26th").
        (
            "How many votes did version 1.9 receive?",
            "Version 1.9 ratified on March 26th, 2022.",
            False,
        ),
        ("How many members does it have?", "It has 51 members.", True),
        # A number the NER leaves without a label still counts (it missed "900" here).
        (
            "How many parking spaces does the Harbor facility have?",
            "The Harbor facility has 900 parking spaces.",
            True,
        ),
        # A bare number the NER takes for a year still counts what follows it...
        ("How many fishing boats were counted?", "The master counted 1099 fishing boats.", True),
        # ...but a year after "in" does not, nor a year naming a report.
        (
            "How many victims does the report record?",
            "He cited the 2024 UNODC Global Report.",
            False,
        ),
        ("How many countries adopted the plan?", "The plan was adopted in 2010 by all.", False),
        # A share counts a part ("how many of"), not a whole...
        ("How many victims were detected?", "Detection rose by 25% since 2019.", False),
        ("How many of the buildings collapsed?", "In Beichuan, 80% of the buildings fell.", True),
        # ...and a year the question gives counts nothing ("Citing the 2024 Report").
        (
            "How many victims were detected in 2024?",
            "Citing the 2024 Global Report, he noted a 25% rise.",
            False,
        ),
        # A fraction is no age; a number or a span of years is.
        (
            "How old are most child victims?",
            "Children represent over one-third of detected victims.",
            False,
        ),
        ("How old are most child victims?", "Most child victims are detected at 14.", True),
        (
            "How old are most child victims?",
            "She was trafficked when she was nine years old.",
            True,
        ),
        # A length of time or a frequency does not say when something happened.
        (
            "When did Ms. Waly become Executive Director?",
            "Ms. Waly praised the Plan's role over the past 15 years.",
            False,
        ),
        ("When did the Fund start?", "The Fund supports thousands of victims annually.", False),
        ("When did the Fund start?", "The Fund started in 2008 with one donor.", True),
        # A year the NER misses is still a date.
        ("When did the emperor reign?", "Under the emperor (r. 1521–1567), art thrived.", True),
        # "Three out of five" states a share.
        ("What fraction of residents graduated?", "Three out of five residents graduated.", True),
        # "How long is X" asks a length as often as a time; "how long did X last" a time.
        ("How long may a cover text be?", "A cover text may be at most 25 words.", True),
        ("How long was the fault?", "The fault ran for about 300 km.", True),
        ("How long is the term?", "The term is one year.", True),
        ("How long is the term?", "The committee has at most 8 members.", False),
        ("How long did the tremor last?", "The fault ran for about 300 km.", False),
        # A time with its unit is a duration, which the NER leaves a bare number.
        ("How long does the division take per loop?", "Division: 2.69 ms per loop.", True),
        ("How long does the division take per loop?", "Division: 2.69 per loop.", False),
        # A point in time is no length of it, unless the length starts there.
        ("How long did the project run?", "The project was merged in 2003.", False),
        ("How long has she been the maintainer?", "She has been maintainer since 2003.", True),
        ("How long did the project run?", "The project ran for ten years.", True),
        # A date written with numbers is a date, which the NER misses or takes for numbers.
        ("When was IDLEfork 0.8.1 released?", "*Release date: 22-Jul-2001*", True),
        ("When was this page created?", "* 08/25/2007 : Creation of this page", True),
        ("When was IDLE 0.4 released?", "New in IDLE 0.4 (4/7/99)", True),
        ("When was it adopted?", "It was adopted by resolution 79/286 at once.", False),
        # An age is no point in time: "a 6-year-old company" says not when it was founded.
        ("In which year was the firm founded?", "It is a 6-year-old internet company.", False),
        ("In which year was the firm founded?", "The firm was founded in 1999.", True),
    ],
)
def test_what_answers_how_many_how_old_or_when(question, text, holds):
    query = analyse(question, [], [])
    assert query.strict and holds_asked_kind(query, _sentence(text)) is holds


def test_what_a_sentence_of_the_asked_kind_lacks_is_in_the_questions_own_words(bot):
    """The sentence's 40% is a share, so only the question's other words can be missing
    ("what share" names the kind asked, not a missing word)."""
    index = bot.index
    query = analyse("What share of fish did the wetlands lose?", [], index.speakers)
    fish = next(s for s in index.sentences if "Fish numbers" in s.text)
    assert lacks(index, query, fish.id) == "the passage does not mention wetlands, lose"


def test_a_share_does_not_say_how_many(bot):
    """ "Fish numbers fell by 40%" does not say how many fish were lost."""
    index = bot.index
    query = analyse("How many fish were lost?", [], index.speakers)
    fish = next(s for s in index.sentences if "Fish numbers" in s.text)
    assert not holds_asked_kind(query, fish)
    assert lacks(index, query, fish.id) == ONLY_SHARE


def test_an_entity_the_question_names_is_not_an_answer():
    s = _sentence("In 2024 the council spent 40,000 euros on filters.")
    asked = analyse("How much did the council spend in 2024?", [], [])
    typed = typed_entities(asked, s)
    assert [s.text[a:b] for a, b in typed] == ["40,000 euros"]


def test_the_speaker_line_names_a_person_and_an_organisation():
    s = _sentence("She called for new filters.", "Ms. Jane Doe, Director of the Water Agency")
    query = analyse("Which organisation called for new filters?", [], [])
    assert (-1, -1) in typed_entities(query, s)


def test_the_speaker_line_answers_only_with_what_it_names(bot):
    """The tiny corpus introduces Ms. Jane Doe as "Director of the Water Agency": her line
    names an organisation, but not another one than the Water Agency."""
    index = bot.index
    later = next(s for s in index.sentences if s.text.startswith("She called"))
    line = index.speaker_line(later.speaker)
    assert ("ORG", "the Water Agency") in line
    which = analyse("Which organisation called for filters?", [], index.speakers)
    funds = analyse("Which organisation funds the Water Agency?", [], index.speakers)
    assert holds_asked_kind(which, later, line)
    assert not holds_asked_kind(funds, later, line)
    assert lacks(index, funds, later.id) == "no organisation is named"
    assert holds_asked_kind(funds, later)  # the line unknown: the speaker counts
    assert index.speaker_line(None) is None
    assert index.speaker_line("SPEAKER 2") is None  # a label no sentence opens with


def test_words_the_collection_never_uses_are_matched_to_its_own():
    speller = Speller(
        [
            "The panel discussion was moderated by Ms. Delphine Schantz.",
            "A survivor asked for compensation. Traffickers exploit technology.",
        ]
    )
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
    # An acronym is never dropped as a casual word: "What is the ?" would be answered.
    assert speller.correct("What is the GDP?") == ("What is the GDP?", ())


def test_a_speaker_is_found_by_the_acronym_of_their_role():
    president = "H.E. Philemon Yang, President of the General Assembly"
    director = "Ms. Ghada Fathi Waly, Executive Director of UNODC and Director-General of UNOV"
    assert role_acronym(president) == "pga"
    assert role_acronym(director) == ""  # never "EDU": the title holds an acronym already
    query = analyse("What shift did the PGA point to?", [], [president, director])
    assert query.speakers == (president,) and "pga" not in query.terms


def test_the_words_naming_the_asked_kind_are_never_corrected():
    """The kind asked is read from these words: "fraction" is no typo of "action", nor
    "headquartered" of "headquarters" ("fraction" was rewritten, and the share question
    lost its kind, in five SQuAD questions)."""
    speller = Speller(["The action plan of the organisation left its headquarters in 2010."])
    query = analyse("What fraction of the plan was adopted?", [], [], speller=speller)
    assert query.answer_type == "share" and query.text.startswith("What fraction")
    query = analyse("Where is the organisation headquartered?", [], [], speller=speller)
    assert query.answer_type == "place" and "headquartered" in query.text
    # Other words are still matched, and a possessive of a known word is known.
    fixed, _ = speller.correct("What fraction of the pln?", frozenset({"fraction"}))
    assert fixed == "What fraction of the plan?"
    assert speller.correct("The organisation's plan?")[0] == "The organisation's plan?"
    # A word the collection writes in another form is no typo: "urge" where it says "urged".
    urged = Speller(["The delegates urged restraint and a ceasefire."])
    assert urged.correct("What did the delegates urge?") == ("What did the delegates urge?", ())
    assert urged.correct("Who urged restrant?")[0] == "Who urged restraint?"


def test_the_corrected_question_is_searched_and_said(tiny_settings, fake):
    bot = QABot(tiny_settings, fake, FakeCrossEncoder())
    result = bot.ask("What did the Mayor of Springfeild promise?", min_confidence=0)
    assert result.question == "What did the Mayor of Springfeild promise?"  # as typed
    assert "Searched for “Springfield” (typed “Springfeild”)." in result.notes
    assert "funding" in result.quotes[0].text


def test_a_number_the_question_gives_must_be_stated(bot):
    """A passage that never states the year asked about does not answer for that year; the
    one that does still answers (only the gate differs: the bar is set just above zero)."""
    stated = bot.ask("What happened to pollution since 2019?", min_confidence=0.01)
    assert stated.found and "doubled since 2019" in stated.quotes[0].text
    other = bot.ask("What happened to pollution since 2021?", min_confidence=0.01)
    assert not other.found and not other.quotes
    assert other.lacks == "it does not mention 2021"
    assert "doubled since 2019" in other.related[0].text  # shown apart, not as the answer
    # A reference is named as the user typed it: "Version 3" does not say version 2.
    phase = bot.ask("What did the council approve in phase 2 of the plan?", min_confidence=0.01)
    assert not phase.found and phase.lacks == "it does not mention phase 2"


def test_a_name_from_code_the_question_gives_must_be_written(tmp_path, fake):
    """A timing of numpy.ma.divide does not say how long numpy.ma.multiply takes."""
    corpus = write_corpus(
        tmp_path / "corpus",
        {"bench.md": "# Benchmarks\n\nThe numpy.ma.divide function takes 2.69 ms per loop.\n"},
    )
    bot = QABot(Settings(corpus=corpus, index=tmp_path / "index"), fake, FakeCrossEncoder())
    asked = bot.ask("How long does numpy.ma.divide take per loop?", min_confidence=0.01)
    assert asked.found and "2.69 ms" in asked.quotes[0].text
    other = bot.ask("How long does numpy.ma.multiply take per loop?", min_confidence=0.01)
    assert not other.found and other.lacks == "it does not mention numpy.ma.multiply"
    assert "numpy.ma.divide" in other.related[0].text


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What does sys.path hold?", ("sys.path",)),
        ("What is fill_value now, and what runs in __main__?", ("fill_value", "__main__")),
        ("Where is QA_BOT_INDEX read?", ("QA_BOT_INDEX",)),
        ("Which law governs the U.S. office of Ph.D. students?", ()),  # abbreviations
        ("When was version 2.0 published?", ()),  # a number, not a name
    ],
)
def test_the_names_from_code_a_question_gives(question, names):
    assert analyse(question, [], []).code_names == names


@pytest.mark.parametrize(
    ("question", "numbers"),
    [
        ("How many victims did the Fund help in 2024?", ("2024",)),
        ("Who wrote the Apache License 2.0?", ("2.0",)),
        ("How many states voted for resolution 79/286?", ("79/286",)),
        ("Did it cost 40,000 euros?", ("40000",)),
        ("What happened in the 1990s or on the 25th?", ()),  # not numbers as written
        ("Which 3 musicians were in the band at age 17?", ()),  # counts often written as words
        ("How much had it made by 2/21/2016?", ("2016",)),  # the text may say 21 February
        # A small number that names what it follows is a reference, not a count.
        ("When was version 2 of the License published?", ("2",)),
        ("When did he premiere Piano Concerto No. 2?", ("2",)),
    ],
)
def test_the_numbers_a_question_gives(question, numbers):
    assert analyse(question, [], []).numbers == numbers


@pytest.mark.parametrize(
    ("checks", "question", "text", "missing", "phrase"),
    [
        # A region, an office or an organisation is no country...
        (
            "country",
            "Which country does Ms. Amara Osei come from?",
            "Ms. Amara Osei, Director of the Lagos Office at Hope International, warned of "
            "scam compounds across Southeast Asia.",
            NO_COUNTRY,
            None,
        ),
        (
            "country",
            "Which countries host the compounds?",
            "Compounds spread across Southeast Asia.",
            NO_COUNTRY,
            None,
        ),
        # ...a named country or nationality is.
        (
            "country",
            "Which country does Ms. Amara Osei come from?",
            "Ms. Amara Osei grew up in Ghana.",
            "",
            "Ghana",
        ),
        (
            "country",
            "Which countries host the compounds?",
            "Compounds operate in Myanmar and Cambodia.",
            "",
            "Myanmar",
        ),
        # A region is no country, however the country asked is narrowed.
        (
            "country",
            "Which Southeast Asian country hosts the compounds?",
            "Compounds operate across Southeast Asia.",
            NO_COUNTRY,
            None,
        ),
        # Member States are countries; "what should countries do" asks no country.
        (
            "country",
            "Which Member States funded the Report?",
            "He urged Member States to contribute to the Fund.",
            NO_COUNTRY,
            None,
        ),
        (
            "",
            "What should Member States harmonise?",
            "Member States should harmonise legal frameworks.",
            "",
            None,
        ),
        # "Which states" asks states by name, a country's or the world's.
        (
            "country",
            "Which states allow patents on software?",
            "States should not allow patents to restrict software, but in those that do, we act.",
            NO_STATE,
            None,
        ),
        (
            "country",
            "Which states allow patents on software?",
            "Patents are allowed in Texas.",
            "",
            "Texas",
        ),
        # Where someone was trafficked to is not where they were born.
        (
            "birth",
            "In which country was Ms. Amara Osei born?",
            "Ms. Amara Osei was trafficked as a child to the United States.",
            NO_BIRTH,
            "the United States",
        ),
        (
            "country,birth",
            "In which country was Ms. Amara Osei born?",
            "Ms. Amara Osei was born in Ghana.",
            "",
            "Ghana",
        ),
        # When a thing will happen is not said by when another thing happened...
        (
            "future",
            "When will the council meet again?",
            "The council met in Springfield on 3 May 2024.",
            NO_FUTURE,
            "3 May 2024",
        ),
        (
            "future",
            "When will the council meet again?",
            "The council will meet again on 9 June 2025.",
            "",
            "9 June 2025",
        ),
        (
            "future",
            "Where will the summit be held?",
            "The upcoming summit takes place in Nairobi.",
            "",
            "Nairobi",
        ),
        # ...but what or who will is often said in the present or past tense.
        ("future", "What will the new filters remove?", "The filters remove lead.", "", None),
        (
            "deed,future",
            "Who will lead the talks?",
            "The council entrusted Ms. Doe with leading the talks.",
            "",
            None,
        ),
        (
            "maker",
            "Who wrote in their will that the estate goes to charity?",
            "Jane Doe's will left the estate to charity.",
            "",
            "Jane Doe's",
        ),
    ],
)
def test_what_the_wording_demands_beyond_the_kind(checks, question, text, missing, phrase):
    query = analyse(question, [], [])
    sentence = _sentence(text)
    assert reason_of(checks, question, text) == missing
    span = answer_span(query, sentence)
    assert (text[span[0] : span[1]] if span else None) == phrase


@pytest.mark.parametrize(
    ("checks", "question", "text", "speaker", "missing"),
    [
        # Who made a work, or holds an office now, is said by a name, not by a role...
        (
            "maker",
            "Who wrote the License?",
            "Copyright [yyyy] [name of copyright owner]",
            None,
            NO_NAME,
        ),
        ("maker", "Who wrote the License?", "The License was written by Jane Doe.", None, ""),
        (
            "maker,deed",
            "Who founded the Trust?",
            "The Trust was founded by the Water Agency.",
            None,
            "",
        ),
        (
            "maker",
            "Who is the current Leader?",
            "The Leader is appointed by the Developers.",
            None,
            NO_NAME,
        ),
        (
            "maker",
            "Who is the author of the Affero License?",
            "Use with the Affero License.",
            None,
            NO_NAME,
        ),
        (
            "maker,company_office",
            "Who was the founder of the Post?",
            "The Post was founded by Alexander Hamilton.",
            None,
            "",
        ),
        # ...as does which of a kind of people made it.
        (
            "maker",
            "Which Developers proposed version 2.1?",
            "Version 2.1 ratified in 2021.",
            None,
            NO_NAME,
        ),
        (
            "maker,deed",
            "Which engineer designed the bridge?",
            "It was designed by John Roe.",
            None,
            "",
        ),
        # Contributing or coding a feature is making it.
        (
            "maker",
            "Who contributed the new Find dialog in IDLE 0.2?",
            "New Find dialog with more options; replace dialog; find in files dialog.",
            None,
            NO_NAME,
        ),
        (
            "maker",
            "Who contributed the status bar?",
            "Status bar, displaying the line (Moshe Zadka).",
            None,
            "",
        ),
        (
            "maker",
            "Who currently serves as Secretary?",
            "The Secretary is appointed by the Leader and the current Secretary.",
            None,
            NO_NAME,
        ),
        # ...the speaker counts, unless the question names them...
        (
            "maker,deed",
            "Who founded the Trust?",
            "She founded the Trust.",
            "Ms. Jane Doe, Director",
            "",
        ),
        (
            "maker",
            "Who wrote Jane Doe's report?",
            "H.E. Ms. Jane Doe presented her report.",
            "H.E. Ms. Jane Doe, Director",
            NO_NAME,
        ),
        # ...and other deeds are often told by a role or a description.
        ("", "Who elects the Leader?", "The Leader is elected by the Developers.", None, ""),
        ("", "Who paid for the apartment?", "His friends paid the rent.", None, ""),
    ],
)
def test_who_made_it_needs_a_name(checks, question, text, speaker, missing):
    assert reason_of(checks, question, text, speaker) == missing


def _bag_of_words(texts: list[str]) -> np.ndarray:
    """A stand-in encoder: a text's vector counts its words (no meaning, no model)."""
    vocabulary = sorted({w for t in texts for w in t.lower().split()})
    return np.array([[t.lower().split().count(w) for w in vocabulary] for t in texts], float)


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("What percentage of detected trafficking victims are women?", "women"),
        ("What share of the city's population is Caucasian?", "Caucasian"),
        ("What share of trafficking cases involve forced labour?", "forced labour"),
        ("What percentage of Apple's revenue came from iPod sales?", "iPod sales"),
        ("What percentage increase in victims was reported?", ""),  # no part asked
        ("How many victims are women?", ""),  # not a share
    ],
)
def test_the_part_whose_share_is_asked(question, part):
    assert share_part(analyse(question, [], [])) == part


def test_a_share_must_be_of_the_part_asked():
    """One-third is the children's share: women are named, but in another statement."""
    query = analyse("What percentage of detected victims are women?", [], [])
    children = _sentence(
        "Children represent over one-third of detected victims, and women and girls remain "
        "particularly vulnerable to sexual exploitation."
    )
    women = _sentence("Women represent 40% of detected victims.")
    facts = Gathered(None, query)
    assert part_similarity(query, facts.of(children), _bag_of_words) < 0.5
    assert part_similarity(query, facts.of(women), _bag_of_words) == pytest.approx(1.0)
    ask = "What percentage of detected victims are women?"
    assert (
        reason_of("share_part", ask, children.text, None, _bag_of_words, 0.5)
        == "no share of women is given"
    )
    assert reason_of("share_part", ask, women.text, None, _bag_of_words, 0.5) == ""
    # Without an encoder only the words are read: "women" stands in a statement of its own
    # after the share, so the share is not theirs.
    assert reason_of("share_part", ask, children.text) == "no share of women is given"


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        # Boys are children, but the sentence says something else of them.
        ("What percentage of trafficking victims are boys?", "no share of boys is given"),
        (
            "What percentage of detected victims are trafficked for sexual exploitation?",
            "no share of trafficked for sexual exploitation is given",
        ),
        ("What percentage of detected victims are children?", ""),
        ("What percentage of detected victims are minors?", ""),  # not named: not judged here
    ],
)
def test_a_part_named_after_the_share_is_told_apart_from_it(question, missing):
    sentence = _sentence(
        "Many participants noted that children represent over one-third of detected "
        "trafficking victims globally, and that women and girls remain particularly "
        "vulnerable to sexual exploitation, while boys are particularly vulnerable to "
        "forced labour."
    )
    assert reason_of("share_part", question, sentence.text) == missing


def test_a_part_named_before_the_share_may_be_its_subject():
    sentence = _sentence(
        "The city's securities industry continues to form the largest segment of the "
        "financial sector, accounting in 2012 for 5 percent of the city's private sector jobs."
    )
    question = "What percentage of private sector jobs are in the securities industry?"
    assert reason_of("share_part", question, sentence.text) == ""


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("By how much have victim numbers grown?", ""),
        ("By how much has child labour grown?", "it gives no change in child labour"),
    ],
)
def test_how_much_something_grew_asks_the_size_of_a_change(question, missing):
    """Not an amount of money: a share stating the change asked answers it."""
    query = analyse(question, [], [])
    assert query.answer_type == "change" and query.strict
    sentence = _sentence("A 35% increase in victims since 2019 was reported.")
    assert holds_asked_kind(query, sentence)
    assert reason_of("change", question, sentence.text) == missing
    vague = _sentence("Participants noted the growing use of cryptocurrency.")
    assert not holds_asked_kind(query, vague)


def test_a_date_line_says_when_and_where_its_titles_event_was(tmp_path, fake):
    text = (
        "Summary of the river hearing as part of the process for the water summit\n\n"
        "3 May 2024, City Hall, Springfield\n\n"
        "The council heard from citizens about the river. The summit will follow.\n"
    )
    corpus = write_corpus(tmp_path / "corpus", {"hearing.txt": text})
    bot = QABot(Settings(corpus=corpus, index=tmp_path / "index"), fake, FakeCrossEncoder())
    index = bot.index
    line = next(s for s in index.sentences if s.text.startswith("3 May"))
    body = next(s for s in index.sentences if s.text.startswith("The council"))
    assert index.dateline_subject(line) == "Summary of the river hearing"
    assert index.dateline_subject(body) == ""

    def clause_coverage(question: str) -> float:
        found = bot.retrieve(question)
        rows = candidates(Gathered(index, found.query), found.vector, found.hits)
        row = rows.features[rows.sentence_ids.index(line.id)]
        return float(row[BASE_FEATURES.index("type_clause")])

    # The line dates the hearing its title names, not the summit the hearing prepares.
    assert clause_coverage("Where was the river hearing held?") == 1.0
    assert clause_coverage("Where was the water summit held?") == 0.0


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When did the hearing take place?", ["hear"]),
        ("Where had the meetings taken place before?", ["meet"]),
        ("Which place did the team take?", ["place", "team", "take"]),
        # So does "held" in a question asking when or where, not in one asking how long.
        ("When was the hearing held?", ["hear"]),
        ("In which city was the summit held?", ["citi", "summit"]),
        ("How long was she held by her captors?", ["long", "hold", "captor"]),
    ],
)
def test_take_place_only_says_that_something_happened(question, expected):
    assert question_terms(question) == expected
