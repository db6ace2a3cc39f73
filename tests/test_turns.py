"""Who speaks in a transcript: each turn's sentences carry its speaker, in the layouts
meeting records come in, and a document that only looks like one is left alone."""

from __future__ import annotations

from collections import Counter

import pytest

from qa_bot.ingest.corpus import parse_document
from qa_bot.ingest.speakers import detect_speaker, name_keys, speaker_parties
from qa_bot.ingest.turns import find_turns

BRIEFING = """Briefing on the river plan

MODERATOR SMITH. Welcome. The first question goes to Jane.
JANE ROE. Jane Roe with the Gazette. Will the council fund new filters this
year, and when?
MAYOR DOE. Yes, the council will fund new filters in every factory this year.
Pollution doubled since 2019.
JANE ROE. And what about the wetlands?
MAYOR DOE. The wetlands were restored last spring, and bird counts rose.
MODERATOR SMITH. Thank you all.
"""


def _speakers(text: str) -> list[tuple[str | None, str]]:
    doc = parse_document("t.txt", text)
    return [(s.speaker, s.text) for s in doc.sentences]


def test_a_briefing_in_capitals_gives_each_sentence_its_speaker_and_never_quotes_a_label():
    said = _speakers(BRIEFING)
    assert ("MAYOR DOE", "Pollution doubled since 2019.") in said
    assert ("JANE ROE", "Jane Roe with the Gazette.") in said
    assert all(not text.startswith(("MAYOR DOE", "JANE ROE", "MODERATOR")) for _, text in said)
    # A turn's lines run on until the next label, across the line breaks of a PDF's text.
    assert ("JANE ROE", "Will the council fund new filters this year, and when?") in said


def test_a_minutes_layout_with_countries_and_a_delegations_layout_are_turns():
    minutes = (
        "Minutes\n\nMs. Ana Ruiz (Mexico): Thank you, Chair. We support the plan.\n\n"
        "Mr. Lee Park (Republic of Korea): We share that view on funding.\n\n"
        "Ms. Ana Ruiz (Mexico): One more point on victims.\n"
    )
    said = _speakers(minutes)
    assert ("Ms. Ana Ruiz, Mexico", "We support the plan.") in said
    assert ("Mr. Lee Park, Republic of Korea", "We share that view on funding.") in said
    record = (
        "Record\n\n**Mexico | Ms. Ana Ruiz**\n\nWe support the plan.\n\nIt saves lives.\n\n"
        "**Peru | Mr. Luis Soto**\n\nWe align with the statement delivered by Mexico.\n"
    )
    said = _speakers(record)
    assert ("Ms. Ana Ruiz, Mexico", "It saves lives.") in said  # the turn runs on
    assert ("Mr. Luis Soto, Peru", "We align with the statement delivered by Mexico.") in said
    assert "mexico" in name_keys("Ms. Ana Ruiz, Mexico")


@pytest.mark.parametrize(
    "text",
    [
        # A licence's capitals are no speakers.
        "License\n\nIMPLIED.  BY WAY OF EXAMPLE, BUT NOT LIMITATION, PSF MAKES NO\n"
        "IMPLIED.  BY WAY OF EXAMPLE, BUT NOT LIMITATION, BEOPEN MAKES NO\n"
        "IMPLIED.  BY WAY OF EXAMPLE, BUT NOT LIMITATION, CNRI MAKES NO\n",
        # Nor are a changelog's labels.
        "Notes\n\nRelease date: 22-Jul-2001\n\nRelease date: 15-Aug-2000\n\nNote: fixed.\n\n"
        "Note: changed.\n\nNote: moved.\n",
    ],
)
def test_a_document_that_only_looks_like_a_transcript_has_no_turns(text):
    assert find_turns(text) == []
    assert Counter(s for s, _ in _speakers(text)) == Counter({None: len(_speakers(text))})


def test_a_summary_of_a_debate_names_each_delegation():
    assert detect_speaker("The representative of Mexico said her country supports it.") == (
        "Mexico, representative"
    )
    assert detect_speaker(
        "Speaking on behalf of the Group of 77 and China, the representative of Iraq said ..."
    ) == ("Iraq, representative")
    assert detect_speaker("The representative of civil society said so.") is None


def test_a_speaker_is_found_by_the_party_they_speak_for():
    hikmat = "H.E. Mr. Jonibek Hikmat, Permanent Representative of the Republic of Tajikistan"
    assert {"tajikistan", "republic of tajikistan"} <= speaker_parties(hikmat)
    waly = "Ms. Ghada Fathi Waly, Executive Director of UNODC and Director-General of UNOV"
    assert {"unodc", "unov"} <= speaker_parties(waly)


FLOOR = """Congressional Record, Senate

  The ACTING PRESIDENT pro tempore. The clerk will report the nomination.
  Mr. DODD. Mr. President, I rise to speak on the nomination of the judge.
  The judge ruled on the water case in 2001.
  The PRESIDING OFFICER (Mr. Cornyn). Without objection, it is so ordered.
  Mrs. BOXER of California. Mr. President, I oppose this nominee.
  Mr. McCONNELL. I yield the floor.
  Mr. DODD. I suggest the absence of a quorum.
"""


def test_a_parliamentary_record_names_members_and_the_chair_in_each_turn():
    said = _speakers(FLOOR)
    assert ("Mr. DODD", "The judge ruled on the water case in 2001.") in said
    assert ("Mrs. BOXER of California", "Mr. President, I oppose this nominee.") in said
    assert ("Mr. McCONNELL", "I yield the floor.") in said
    # The chair is an office held by the member in brackets: the member speaks, in it.
    assert ("Mr. Cornyn, The PRESIDING OFFICER", "Without objection, it is so ordered.") in said
    assert ("The ACTING PRESIDENT pro tempore", "The clerk will report the nomination.") in said
    assert all(not text.startswith(("Mr. DODD", "The PRESIDING")) for _, text in said)
    # An office is asked for by its title, never by "the" that every question holds.
    assert name_keys("The ACTING PRESIDENT pro tempore") == {"acting president pro tempore"}
    assert "cornyn" in name_keys("Mr. Cornyn, The PRESIDING OFFICER")
    assert "the" not in name_keys("Mr. Cornyn, The PRESIDING OFFICER")


def test_a_members_one_statement_on_the_record_is_theirs():
    statement = (
        "AN OPPORTUNITY TO GIVE LIFE\n\n  HON. JOE WILSON\n\n  of south carolina\n\n"
        "  Mr. WILSON of South Carolina. Mr. Speaker, more than 86,000 people await\n"
        "transplants.\n  Today, I'm introducing a tax credit for living donors.\n"
    )
    said = _speakers(statement)
    assert (
        "Mr. WILSON of South Carolina",
        "Today, I'm introducing a tax credit for living donors.",
    ) in said
    assert all(not text.startswith("Mr. WILSON") for _, text in said)
    # One line in capitals that addresses no chair is no statement.
    assert find_turns("Notes\n\n  NOTE. The office is closed on Sunday.\n") == []


OPINION = """# SMITH v. JONES, WARDEN.

Argued March 5, 1964.

MR. JUSTICE BRENNAN delivered the opinion of the Court.

We hold that the privilege applies to the States. The judgment is reversed.

While MR. JUSTICE DOUGLAS joins the opinion of the Court, he adheres to his concurrence.

MR. JUSTICE HARLAN, whom MR. JUSTICE CLARK joins, dissenting.

I must dissent, for the Court's reasoning harms our federal system.

## I.

The Court rejects in theory what it accepts in fact.

# Appendix

The briefs were filed in 1963.
"""


def test_a_line_that_gives_the_text_below_to_someone_opens_their_turn():
    said = _speakers(OPINION)
    court = "MR. JUSTICE BRENNAN, delivered the opinion of the Court"
    dissent = "MR. JUSTICE HARLAN, dissenting"
    # The line stays a sentence: "Which Justice delivered the opinion?" is answered by it.
    assert (court, "MR. JUSTICE BRENNAN delivered the opinion of the Court.") in said
    assert (court, "The judgment is reversed.") in said
    assert (dissent, "I must dissent, for the Court's reasoning harms our federal system.") in said
    # A part of the dissent ("## I.") is still the dissent; a heading at its level ends it.
    assert (dissent, "The Court rejects in theory what it accepts in fact.") in said
    assert (None, "The briefs were filed in 1963.") in said
    assert (None, "Argued March 5, 1964.") in said
    # The Justice who only joins is no speaker, and "Justice" names none of them.
    assert not any(s and "CLARK" in s for s, _ in said)
    assert name_keys(dissent) == {"harlan"}


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        (
            "JUSTICE THOMAS, concurring in the judgment.",
            "JUSTICE THOMAS, concurring in the judgment",
        ),
        (
            "JUSTICE ALITO, with whom JUSTICE THOMAS and JUSTICE GORSUCH join, dissenting.",
            "JUSTICE ALITO, dissenting",
        ),
        (
            "Senator Jane Doe made the following statement:",
            "Senator Jane Doe, made the following statement",
        ),
    ],
)
def test_attribution_lines_of_other_courts_and_hearings(line, speaker):
    assert [t.speaker for t in find_turns(f"Heading\n\n{line}\n\nText follows here.\n")] == [
        speaker
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Ms. Doe delivered the keynote and then we ate lunch.\n",
        "The Court, dissenting from nothing, held firm.\n",
        "We note that Judge Roe delivered the opinion of the Court in 1990, and left.\n",
    ],
)
def test_a_sentence_that_only_mentions_an_opinion_opens_no_turn(text):
    assert find_turns(text) == []


def test_an_unnamed_questioner_takes_turns_beside_the_named_speakers():
    briefing = (
        "Department Press Briefing – May 18, 2023\n\n1:16 p.m. EDT\n\n"
        "MR PATEL: Good afternoon, everybody. We urge Iran to stop the executions.\n\n"
        "QUESTION: These are the same cases that the envoy tweeted about, correct?\n\n"
        "MR PATEL: Correct, correct.\n\n"
        "QUESTION: Does that mean that he’s now back?\n\n"
        "MR PATEL: I believe he is.\n"
    )
    said = _speakers(briefing)
    assert ("QUESTION", "Does that mean that he’s now back?") in said
    assert ("MR PATEL", "I believe he is.") in said
    assert all(not text.startswith(("QUESTION", "MR PATEL")) for _, text in said)


def test_one_titled_label_is_a_speaker_and_a_lone_capital_word_is_not():
    one_turn = (
        "Briefing\n\nMR PATEL: Good afternoon.\n\nThe United States designated two oligarchs.\n"
    )
    assert ("MR PATEL", "The United States designated two oligarchs.") in _speakers(one_turn)
    # A letter's salutation is no turn: the letter is not the addressee's.
    letter = "Letter\n\nMr. President: I write to urge the Senate to act.\n\nIt must act now.\n"
    assert find_turns(letter) == []
    # Capital words with a colon and no named speaker are a form's labels, not voices.
    form = "Form\n\nNAME: Jane Doe\n\nDATE: today\n\nNAME: John Roe\n\nDATE: tomorrow\n"
    assert find_turns(form) == []
