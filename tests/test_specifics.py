"""A question naming the specific thing it asks (a numbered article, an office of a company)
is answered only by a sentence that states it (``answer/checks``, each check alone)."""

from __future__ import annotations

import pytest

from tests.conftest import reason_of

_ARTICLE_6 = (
    "Mr. Amara Osei reflected on the adoption of the Protocol, particularly its emphasis on "
    "the protection and recovery of victims under Article 6."
)


@pytest.mark.parametrize(
    ("checks", "question", "text", "missing"),
    [
        # A reference asked for is named by its number...
        ("reference", "Which article of the Protocol did Mr. Osei emphasise?", _ARTICLE_6, ""),
        (
            "reference",
            "Which article of the Protocol deals with the non-punishment of victims?",
            "The principle of non-punishment of victims needs to be respected.",
            "no article is named by its number",
        ),
        (
            "reference",
            "Under which resolution was the hearing convened?",
            "The President convened the hearing pursuant to resolution 79/286.",
            "",
        ),
        (
            "reference",
            "Which section lets Developers override a Delegate?",
            "Developers can override the decision by way of General Resolution - see §4.1(3).",
            "",
        ),
        (
            "reference",
            "Which amendment abolished slavery?",
            "The Thirteenth Amendment abolished it.",
            "",
        ),
        # ...and, when the question says what it covers, the sentence names that too: a
        # word of each of the topic's families.
        (
            "reference",
            "Which article of the Protocol covers the protection of victims?",
            _ARTICLE_6,
            "",
        ),
        (
            "reference",
            "Which article of the Protocol covers the prevention of trafficking?",
            _ARTICLE_6,
            "it names no article on the prevention of trafficking",
        ),
        # An office a company has is named in the sentence or its speaker line...
        (
            "company_office",
            "Who is the chief executive of Marinus Analytics?",
            "Mr. Ward called for cross-sector collaboration.",
            "no chief executive is named",
        ),
        (
            "company_office",
            "Who is the treasurer of SPI?",
            "The treasurer of SPI, Jane Doe, signed it.",
            "",
        ),
        (
            "company_office",
            "Who is the executive director of the Foundation?",
            "The Foundation is the license steward.",
            "no executive director is named",
        ),
        # ...a role in other words is not demanded.
        (
            "head",
            "Who leads Marinus Analytics?",
            "Mr. Ward called for cross-sector collaboration.",
            "",
        ),
        # A majority asked is a size ("3:1", "two-thirds"), not a power.
        (
            "majority",
            "What majority does the Committee need to overrule a Developer?",
            "The Committee may ask a Developer to take a particular course of action.",
            "no majority is stated",
        ),
        (
            "majority",
            "What majority does the Committee need to overrule a Developer?",
            "Overrule a Developer (requires a 3:1 majority).",
            "",
        ),
        # A count as it stands now is not given by a rule's limits...
        (
            "count_now",
            "How many members does the Committee have today?",
            "The Committee consists of up to 8 Developers, and should have at least 4 members.",
            "it gives a limit, not the number now",
        ),
        # ...but by a count, or when the question asks no time.
        ("count_now", "How many members does the Committee have today?", "It has 6 members.", ""),
        (
            "",
            "How many members can the Committee have?",
            "The Committee consists of up to 8 Developers.",
            "",
        ),
        # A school asked is named as one; where someone works is not where they studied.
        (
            "school",
            "Which university did Ms. Osei attend?",
            "Ms. Amara Osei, Director at The Human Trafficking Legal Centre, spoke first.",
            "no university is named",
        ),
        (
            "school",
            "Which university did Ms. Osei attend?",
            "Ms. Osei studied at Duke University.",
            "",
        ),
        # An address asked is given: a street and its number, a post box; for a bare
        # "address" a web or e-mail address too.
        (
            "address",
            "What is the street address of the Python Software Foundation?",
            "In 2001, the Python Software Foundation (PSF, see https://www.python.org/psf/) "
            "was formed.",
            "no address is given",
        ),
        (
            "address",
            "What is the street address of CNRI's office?",
            "CNRI has an office at 1895 Preston White Drive, Reston, VA 20191.",
            "",
        ),
        (
            "address",
            "What address did he live at in Paris?",
            "He lived in Paris on 30 June 1838 with friends.",
            "no address is given",
        ),
        ("address", "What address did he live at in Paris?", "He lived at 38 rue de la Paix.", ""),
        # A version or a number asked is stated as a numeral, not a date...
        (
            "numeral",
            "Which version of Tcl/Tk does IDLE 0.5 require?",
            "IDLE works on Windows and Unix (on the Mac, there are problems with Tcl/Tk).",
            "no number is stated",
        ),
        (
            "numeral",
            "Which version of Tcl/Tk does IDLE 0.5 require?",
            "IDLE 0.5 needs Tcl/Tk 8.0.",
            "",
        ),
        (
            "numeral",
            "Which version of the Apache License did version 2.0 replace?",
            "Version 2.0, January 2004",
            "no number is stated",
        ),
        (
            "numeral",
            "What port number does the ExecBinding protocol use?",
            "Only one copy can run, because of the need for a well-known port.",
            "no number is stated",
        ),
        (
            "numeral",
            "What port number does the protocol use?",
            "The protocol listens on port 8833.",
            "",
        ),
        # ...but a version of a common thing may be told in words.
        ("", "Which version of the theme was used?", "An instrumental version was used.", ""),
        # An RFC or a PEP is named by its number, however the text marks it up.
        (
            "reference",
            "Which RFC defines the surrogateescape error handler?",
            "Binary data is handled by the `surrogateescape` error handler of the ASCII codec.",
            "no RFC is named by its number",
        ),
        (
            "reference",
            "Which RFC does the default email message policy follow?",
            "In addition to the default :rfc:`5322` email message policy, there is another.",
            "",
        ),
        # The office someone became is named.
        (
            "office_become",
            "In what year did Tal Einat become IDLE's maintainer?",
            "- 2005: Tal Einat",
            "no maintainer is named",
        ),
        (
            "office_become",
            "When did Terry Reedy become the maintainer?",
            "- 2010: Terry Jan Reedy (current maintainer)",
            "",
        ),
        # A measure is a number, in figures or in words.
        (
            "numeral",
            "What is the default maximum line length the generator produces?",
            "Controls such as the maximum line length produced by the generator can be set.",
            "no number is stated",
        ),
        ("numeral", "What is the population of Vienna?", "Vienna has two million inhabitants.", ""),
        ("numeral", "What is the maximum line length?", "Lines are folded at 78 characters.", ""),
        (
            "address",
            "What is the address of the announcement list?",
            "Announcements go to debian-devel-announce@lists.debian.org.",
            "",
        ),
        # A kind whose members have names is answered by a name of it...
        (
            "named_kind",
            "Which technology companies did Colin Ward name?",
            "He stressed that artificial intelligence must be deployed with strong safeguards.",
            "it names no technology companies",
        ),
        (
            "named_kind",
            "Which religious leaders were named as partners in early victim detection?",
            "Stakeholders urged Member States to empower faith-based actors for early detection.",
            "it names no religious leaders",
        ),
        (
            "named_kind",
            "Which technology companies did Colin Ward name?",
            "He praised Microsoft and Google for their safeguards.",
            "",
        ),
        # ...or by the kind in general, which may be the answer...
        (
            "named_kind",
            "Which companies should share data with law enforcement?",
            "Technology companies should share data with law enforcement.",
            "",
        ),
        # ...and other kinds are not judged here: root causes have no names, and "which flag
        # did the author ..." asks a flag.
        (
            "",
            "Which flag did the author of maskedarray get rid of?",
            "I got rid of the share_mask flag, I never understood its purpose.",
            "",
        ),
        (
            "",
            "Which root causes of trafficking did stakeholders name?",
            "They named poverty, conflict and displacement.",
            "",
        ),
    ],
)
def test_a_specific_question_needs_its_specific_stated(checks, question, text, missing):
    assert reason_of(checks, question, text) == missing


_CHUMBOW = (
    "Ms. Evelyn Chumbow, Survivor of trafficking in persons, and Advocacy and Survivors "
    "Leadership Program Director at The Human Trafficking Legal Centre"
)


@pytest.mark.parametrize(
    ("checks", "question", "speaker", "missing"),
    [
        # A unit's title heads a part of the organisation, not the organisation...
        (
            "head",
            "Who leads the Human Trafficking Legal Centre?",
            _CHUMBOW,
            "no head of the Human Trafficking Legal Centre is named",
        ),
        (
            "head",
            "Who heads Marinus Analytics?",
            "Mr. Colin Ward, Engagement Lead of Marinus Analytics in UK and Europe",
            "no head of Marinus Analytics is named",
        ),
        # ...a head's title, bare or qualified as one, names its head...
        ("head", "Who heads UNODC?", "Ms. Ghada Fathi Waly, Executive Director of UNODC", ""),
        ("company_office,head", "Who is the head of UNOV?", "Ms. Jane Doe, Director of UNOV", ""),
        # ...and a title of something else, or another question, is not judged here.
        ("head", "Who leads engagement for Marinus Analytics?", _CHUMBOW, ""),
        ("", "Who spoke for the Human Trafficking Legal Centre?", _CHUMBOW, ""),
    ],
)
def test_who_leads_it_needs_the_head_of_it(checks, question, speaker, missing):
    text = "She called on Member States to compensate survivors for their expertise."
    assert reason_of(checks, question, text, speaker) == missing


def test_the_speaker_line_names_no_company_they_named():
    speaker = "Mr. Colin Ward, Engagement Lead of Marinus Analytics in UK and Europe"
    text = "He stressed that artificial intelligence must be deployed with strong safeguards."
    question = "Which technology companies did Colin Ward name?"
    assert reason_of("named_kind", question, text, speaker) == "it names no technology companies"
