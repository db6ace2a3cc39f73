"""A date of another step than the one asked: "Version 1.9 ratified on March 26th, 2022"
does not say when the constitution was proposed.

A text (a law, a treaty, a constitution) goes through steps: it is proposed, drafted or
submitted, then adopted, ratified, passed or signed. Synonyms within a step are common
("adopted" / "passed"), so a date answers a question about a step unless every clause the
date stands in names a step of the other kind and none of the asked one. Across steps,
wording does not blur: no SQuAD training question of these forms was lost (none fires
there), and it turns away held-out questions answered by the ratification date.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa_bot.answer.features import typed_entities

if TYPE_CHECKING:
    from qa_bot.answer.query import Query
    from qa_bot.types import Sentence

# Each step as a question asks it (a participle: "when was it proposed?") and as a text
# states it ("proposal", "ratification", "signed").
_STARTED_ASKED = re.compile(r"\b(?:proposed|drafted|submitted|introduced|tabled)\b", re.I)
_SETTLED_ASKED = re.compile(r"\b(?:ratified|adopted|approved|passed|enacted|signed)\b", re.I)
_STARTED = re.compile(r"\b(?:propos\w*|draft\w*|submi\w*|introduc\w*|tabled)\b", re.I)
_SETTLED = re.compile(
    r"\b(?:ratif\w*|adopt\w*|approv\w*|pass(?:ed|es)?|enact\w*|sign(?:ed|s|ing)?"
    r"|(?:entered|came) into force)\b",
    re.I,
)


def other_step(query: Query, sentence: Sentence) -> str:
    """The step asked ("proposed") when each date the sentence gives is of the other kind
    of step only ("ratified on ..."), else ""."""
    if query.answer_type != "date":
        return ""
    text = query.asked or query.text
    started, settled = _STARTED_ASKED.search(text), _SETTLED_ASKED.search(text)
    if bool(started) == bool(settled):
        return ""
    own, other = (_STARTED, _SETTLED) if started else (_SETTLED, _STARTED)
    asked = (started or settled).group(0).lower()  # type: ignore[union-attr]
    clauses = [c for (start, _), c in typed_entities(query, sentence).items() if start >= 0]
    if clauses and all(other.search(c) and not own.search(c) for c in clauses):
        return asked
    return ""
