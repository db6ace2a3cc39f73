"""A share that states a change of another thing, or the other way, is not the answer to
"by what percentage did X rise?" (the ``change`` check alone)."""

from __future__ import annotations

import pytest

from tests.conftest import reason_of

REPORT = (
    "With a 35% increase in victims since 2019, including a rise in child trafficking, he "
    "warned of new threats."
)
DETECTION = "He noted the 25% rise in victim detection since 2019, after a decrease."
CRIME = "Violent crime in the city decreased more than 75% from 1993 to 2005."


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        # The change of the thing asked, in the direction asked, answers in any wording...
        ("By what percentage did victims increase since 2019?", REPORT, ""),
        ("By how much has the number of victims grown?", REPORT, ""),
        ("What percentage increase in victims since 2019 was reported?", REPORT, ""),
        ("How much did victim detection rise?", DETECTION, ""),
        ("What percentage decrease in violent crime did the city see?", CRIME, ""),
        # ...its subject is the clause before a bare comma or an acronym in brackets...
        (
            "How much did the index for lettuce decline in August?",
            "The index for lettuce continued to fall, declining 6.2 percent in August.",
            "",
        ),
        (
            "By how much did the CPI-W increase over the last 12 months?",
            "The index for Urban Wage Earners (CPI-W) increased 3.5 percent over the year.",
            "",
        ),
        # ...a change of another thing beside it does not...
        (
            "By what percentage did child trafficking rise since 2019?",
            REPORT,
            "it gives no change in child trafficking",
        ),
        (
            "What percentage increase in child trafficking was reported?",
            REPORT,
            "it gives no change in child trafficking",
        ),
        (
            "By what percentage did the detection of child victims rise?",
            DETECTION,
            "it gives no change in detection of child victims",
        ),
        # ...nor a change the other way.
        (
            "By what percentage did victim detection fall during the pandemic?",
            DETECTION,
            "it gives a rise, not a fall",
        ),
        ("By what percentage did violent crime rise?", CRIME, "it gives a fall, not a rise"),
        # A share that states no change is not judged here.
        ("By what percentage did victims increase?", "Children are one-third of victims.", ""),
    ],
)
def test_a_change_must_be_of_the_thing_asked_and_its_way(question, text, missing):
    assert reason_of("change", question, text) == missing


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        # A change is no share of a part: "a 35% increase in victims" says nothing of the
        # share of victims trafficked for forced criminality...
        (
            "What percentage of victims are trafficked for forced criminality?",
            REPORT,
            "it gives a rise, not a share",
        ),
        ("What share of violent crime is armed robbery?", CRIME, "it gives a fall, not a share"),
        # A share lost is a fall: "what share of X was lost" is not asked of a part.
        ("What share of violent crime did the city lose?", CRIME, ""),
        # ...but a share that is not a change answers, even beside one.
        ("What percentage of victims are children?", "Children are one-third of victims.", ""),
        (
            "What percentage of victims are children?",
            "Children are one-third of victims, after a 35% increase in victims.",
            "",
        ),
    ],
)
def test_a_share_asked_is_not_given_by_a_change(question, text, missing):
    assert reason_of("change", question, text) == missing
