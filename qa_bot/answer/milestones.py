"""A date of another step than the one asked, or of no step at all: "Version 1.9 ratified on
March 26th, 2022" does not say when the constitution was proposed, nor "The President
convened the hearing on 30 June 2025, pursuant to resolution 79/286" when the resolution
was adopted.

A text (a law, a treaty, a resolution, a constitution) goes through steps: it is proposed,
drafted or submitted, then adopted, ratified, passed or signed. Synonyms within a step are
common ("adopted" / "passed"; "the adoption of the Plan in 2010"), so a date answers a
question about a step when a clause it stands in names a step of that kind. Measured over
the shipped model's first quotes: 12 own and held-out questions ask a step's date (none of
the SQuAD training articles' questions does); the 7 answered right stay answered and 1
held-out near miss is turned away.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa_bot.answer.features import entity_clauses

if TYPE_CHECKING:
    from qa_bot.answer.query import Query
    from qa_bot.types import Sentence

# Each step as a question asks it (a participle: "when was it proposed?") and as a text
# states it ("proposal", "ratification", "signed"). Not "introduced": products are
# introduced too ("In what year was the iPod first introduced?").
_STARTED_ASKED = re.compile(r"\b(?:proposed|drafted|submitted|tabled)\b", re.I)
_SETTLED_ASKED = re.compile(r"\b(?:ratified|adopted|approved|passed|enacted|signed)\b", re.I)
_STARTED = re.compile(r"\b(?:propos\w*|draft\w*|submi\w*|tabled)\b", re.I)
_SETTLED = re.compile(
    r"\b(?:ratif\w*|adopt\w*|approv\w*|pass(?:ed|es)?|enact\w*|sign(?:ed|s|ing)?"
    r"|(?:entered|came) into force)\b",
    re.I,
)


def other_step(query: Query, sentence: Sentence) -> str:
    """The step asked ("proposed") when no date the sentence gives stands in a clause that
    names a step of that kind, else ""."""
    if query.answer_type != "date":
        return ""
    text = query.asked or query.text
    started, settled = _STARTED_ASKED.search(text), _SETTLED_ASKED.search(text)
    if bool(started) == bool(settled):
        return ""
    own = _STARTED if started else _SETTLED
    asked = (started or settled).group(0).lower()  # type: ignore[union-attr]
    clauses = entity_clauses(query, sentence)
    return asked if clauses and not any(own.search(c) for c in clauses) else ""
