"""When: the future asked is not answered by the past, and the date of one step of a
text's life (proposed, adopted) is not the date of another.

- "when / where will ..." (or another typed question in the future) needs a sentence that
  speaks of the future ("will", "upcoming", "scheduled", ...): the hearing "convened on 30
  June 2025" does not say when the high-level meeting will take place. A timeless present
  ("Link replenishes arrows") can answer "what will ...", and a responsibility given in the
  past ("entrusting the co-facilitators with ... leading the negotiation process") answers
  "who will lead the negotiations?", so untyped what- and who-questions are left alone.
- "when was X proposed" needs a date in a clause that names a step of that kind: "Version
  1.9 ratified on March 26th, 2022" does not say when the constitution was proposed, nor
  "convened on 30 June 2025, pursuant to resolution 79/286" when the resolution was adopted.
  Synonyms within a step are common ("adopted" / "passed"), so a step's kind is matched,
  not its word ("introduced" is left out: products are introduced too).
"""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx
from qa_bot.answer.facts import Facts
from qa_bot.answer.lexicon import alt
from qa_bot.answer.query import Query

NO_FUTURE = "it does not say what will happen"
_FUTURE = re.compile(rf"\b{alt(lx.FUTURE_MODALS, lx.FUTURE_WORDS)}\b", re.I)
# Each step as a text states it ("proposal", "ratification", "signed").
_STARTED = re.compile(r"\b(?:propos\w*|draft\w*|submi\w*|tabled)\b", re.I)
_SETTLED = re.compile(
    r"\b(?:ratif\w*|adopt\w*|approv\w*|pass(?:ed|es)?|enact\w*|sign(?:ed|s|ing)?"
    r"|(?:entered|came) into force)\b",
    re.I,
)


def asks_future(query: Query) -> bool:
    """Does the question ask when or where something will happen, or another named thing
    about it?"""
    typed = bool(query.answer_type) or query.form("when_or_where") is not None
    return typed and query.form("will") is not None


def lacks_future(query: Query, facts: Facts) -> str:
    """ "it does not say what will happen" when the future asked is not spoken of."""
    return NO_FUTURE if asks_future(query) and not _FUTURE.search(facts.sentence.text) else ""


def lacks_step(query: Query, facts: Facts) -> str:
    """ "it does not say when it was proposed" when no date the sentence gives stands in a
    clause that names a step of the kind asked."""
    if query.answer_type != "date":
        return ""
    started, settled = query.form("step_started"), query.form("step_settled")
    if bool(started) == bool(settled):
        return ""
    own = _STARTED if started else _SETTLED
    asked = (started or settled).text.lower()  # type: ignore[union-attr]
    clauses = facts.clauses
    return (
        f"it does not say when it was {asked}"
        if clauses and not any(own.search(c) for c in clauses)
        else ""
    )
