"""A sentence that names the right kind of thing about the wrong deed is not the answer:
who did it, which office, where from (``answer/checks``)."""

from __future__ import annotations

import pytest

from qa_bot.answer.checks.where import NO_BASE, NO_ORIGIN
from tests.conftest import reason_of


@pytest.mark.parametrize(
    ("checks", "question", "text", "missing"),
    [
        # A name beside the deed's object did not do the deed...
        (
            "deed",
            "Who founded Hope International?",
            "Ms. Amara Osei, Director of the Lagos Office at Hope International, warned of "
            "scam compounds.",
            "it does not say who founded Hope International",
        ),
        (
            "deed",
            "Who succeeded Jane Doe as Chair?",
            "H.E. Jane Doe, Chair of the Council, opened the session.",
            "it does not say who succeeded Jane Doe as Chair",
        ),
        (
            "deed",
            "Who will chair the summit?",
            "The Council convened the summit on 3 May 2024.",
            "it does not say who will chair the summit",
        ),
        # ...the deed stated in any form of its word family answers, as does its doer
        # named after "by"...
        (
            "maker,deed",
            "Who founded Hope International?",
            "Its founder, Amara Osei, spoke first.",
            "",
        ),
        (
            "maker,deed",
            "Who invented the box cooker?",
            "The box cooker was first built by Horace Smith.",
            "",
        ),
        (
            "deed,future",
            "Who will lead the talks?",
            "The Council entrusted Ms. Doe with leading the talks.",
            "",
        ),
        (
            "deed",
            "Who appointed Amara Osei as Director of the Lagos Office?",
            "Ms. Amara Osei, Director of the Lagos Office, warned of scam compounds.",
            "it does not say who appointed Amara Osei as Director of the Lagos Office",
        ),
        (
            "deed",
            "Which lawyers drafted the Charter?",
            "The Charter sets out the rights of every member.",
            "it does not say who drafted the Charter",
        ),
        (
            "deed",
            "Who chaired the closing session?",
            "Ms. Jane Doe, Director of the Council, thanked the participants in closing.",
            "it does not say who chaired the closing session",
        ),
        ("deed", "Who moderated the panel?", "The panel was moderated by Ms. Jane Doe.", ""),
        (
            "deed",
            "Which organisations have built on the Charter?",
            "The members have created the Charter.",
            "it does not say who built on the Charter",
        ),
        (
            "maker,deed",
            "Who designed the tombstone?",
            "The tombstone was designed by Jane Doe.",
            "",
        ),
        # A deed worded as its doer's noun says that someone did it, not who.
        (
            "deed",
            "Who drafted version 2.0 of the Charter?",
            "No rule shall be construed against the drafter of the Charter.",
            "it does not say who drafted version 2.0 of the Charter",
        ),
        ("deed,step", "Who drafted the Charter?", "Its drafter, Jane Doe, spoke first.", ""),
        ("deed", "Who sponsored the resolution?", "The Developers sponsor the resolution.", ""),
        # A deed stated without its doer does not say who did it; a doer before it does.
        (
            "deed",
            "Who ratified version 2.1 of the Charter?",
            "Version 2.1 ratified on March 3rd, 2021.",
            "it does not say who ratified version 2.1 of the Charter",
        ),
        (
            "deed,step",
            "Who ratified version 2.1 of the Charter?",
            "The members ratified it in 2021.",
            "",
        ),
        (
            "deed,office_become",
            "Who elected the Chair?",
            "The Chair is elected by the Council from its members.",
            "",
        ),
        # "Who elects ...?" (a rule) is not a deed, though the collection only says "elected".
        ("", "Who elects the Chair?", "Appoint the Chair of the Council.", ""),
        # ...and a standing relation is told by a role, not by the verb.
        (
            "head",
            "Who leads the Lagos Office?",
            "Ms. Amara Osei, Director of the Lagos Office, warned of scam compounds.",
            "",
        ),
    ],
)
def test_who_did_it_needs_the_deed_stated(checks, question, text, missing):
    assert reason_of(checks, question, text) == missing


@pytest.mark.parametrize(
    ("checks", "question", "text", "speaker", "missing"),
    [
        (
            "office",
            "Who was the Secretary-General of the Council in 2024?",
            "The President of the Council convened the hearing on 3 May 2024.",
            None,
            "no Secretary-General is named",
        ),
        (
            "office",
            "Who is the Secretary-General of the Council?",
            "Mr. John Roe, Secretary-General of the Council, opened the session.",
            None,
            "",
        ),
        (
            "office",
            "Who was the Project Secretary when version 2.1 was ratified?",
            "Version 2.1 ratified on March 3rd, 2021.",
            None,
            "no Project Secretary is named",
        ),
        # An office named only as "a Vice-President" names no one who holds it.
        (
            "office",
            "What is the name of the Vice-President who opened the session?",
            "H.E. Jane Doe, President of the Council, in remarks delivered by a Vice-President, "
            "opened the session.",
            None,
            "no Vice-President is named",
        ),
        (
            "office",
            "What is the name of the Vice-President who opened the session?",
            "The session was opened by Mr. John Roe, Vice-President of the Council.",
            None,
            "",
        ),
        # A role in lower case is too often told in other words to be demanded.
        (
            "",
            "Who was the regent of the Empire?",
            "During the regency of Prince John Roe, the Empire grew.",
            None,
            "",
        ),
        # The office may be named by the speaker line only.
        (
            "office,company_office,head",
            "Who is the Director of the Lagos Office?",
            "She warned of scam compounds.",
            "Ms. Amara Osei, Director of the Lagos Office",
            "",
        ),
    ],
)
def test_who_holds_an_office_needs_the_office_named(checks, question, text, speaker, missing):
    assert reason_of(checks, question, text, speaker) == missing


@pytest.mark.parametrize(
    ("checks", "question", "text", "missing"),
    [
        (
            "origin",
            "From which country was Amara Osei trafficked?",
            "Ms. Amara Osei was trafficked as a child to the United States.",
            NO_ORIGIN,
        ),
        (
            "country,origin",
            "From which country was Amara Osei trafficked?",
            "She was trafficked from Ghana.",
            "",
        ),
        (
            "country,origin",
            "From which country does Amara Osei come?",
            "She is a native of Ghana.",
            "",
        ),
    ],
)
def test_from_which_country_needs_a_place_of_origin(checks, question, text, missing):
    assert reason_of(checks, question, text) == missing


@pytest.mark.parametrize(
    ("checks", "question", "text", "missing"),
    [
        # A date of something else is not when the office was taken up...
        (
            "office_dated",
            "When did Amara Osei become Permanent Representative of Ghana?",
            "She recalled the adoption of the Plan in 2010 as a milestone.",
            "it does not mention becoming Permanent Representative",
        ),
        (
            "office_dated,office_become",
            "When did Amara Osei become Permanent Representative of Ghana?",
            "Ms. Osei was appointed Permanent Representative of Ghana in 2019.",
            "",
        ),
        # ...and where someone works is not where the organisation is based.
        (
            "seat",
            "Where is Hope International headquartered?",
            "Ms. Amara Osei, Director of Hope International in Europe, spoke first.",
            NO_BASE,
        ),
        (
            "seat",
            "Where is Hope International headquartered?",
            "Hope International is based in Accra.",
            "",
        ),
    ],
)
def test_an_office_taken_up_and_a_seat_must_be_stated(checks, question, text, missing):
    assert reason_of(checks, question, text) == missing


@pytest.mark.parametrize(
    ("checks", "question", "text", "missing"),
    [
        # The date a text was ratified is not when it was proposed, nor the other way...
        (
            "step",
            "When was the river charter proposed?",
            "Version 1.9 of the river charter was ratified on March 26th, 2022.",
            "it does not say when it was proposed",
        ),
        (
            "step",
            "When was the treaty signed?",
            "The treaty was proposed by Norway on 4 May 1990.",
            "it does not say when it was signed",
        ),
        # ...but a step of the same kind answers in other words ("passed" for "adopted")...
        ("step", "When was the law adopted?", "The law was passed on 4 May 1990.", ""),
        # ...and a date of no step at all does not say either.
        (
            "step",
            "When was resolution 12/4 adopted?",
            "The Council convened on 4 May 1990, pursuant to resolution 12/4.",
            "it does not say when it was adopted",
        ),
        ("", "When was the iPod introduced?", "The iPod dates from 2001.", ""),  # no step
    ],
)
def test_a_date_of_another_step_is_not_the_date_asked(checks, question, text, missing):
    assert reason_of(checks, question, text) == missing
