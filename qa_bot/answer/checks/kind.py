"""The kind of thing asked: a question asking a date, a place, a count ... is answered only
by a sentence holding one (``facts.holds_asked_kind``; a release note's item, also through
its section's date line)."""

from __future__ import annotations

from qa_bot.answer.facts import Facts
from qa_bot.answer.query import Query
from qa_bot.answer.typed import percentages

# What the closest passage lacks, by the kind of thing asked (forms.ANSWER_TYPES).
NO_TYPE = {
    "person": "no person is named",
    "organisation": "no organisation is named",
    "place": "no place is named",
    "date": "no date is given",
    "time": "no time of day is given",
    "duration": "no length of time is given",
    "age": "no age is given",
    "nationality": "no nationality is given",
    "money": "no amount of money is given",
    "share": "no share or percentage is given",
    "count": "no number is given",
    "change": "it does not say by how much",
}
ONLY_SHARE = "only a share is given, not a number"
NO_CITY = "no city is named"


def lacks_kind(query: Query, facts: Facts) -> str:
    """What the sentence lacks of the kind asked ("no place is named"), else ""."""
    if not query.labels or facts.holds_or_dated:
        return ""
    if query.answer_type == "count" and percentages(facts.sentence):
        return ONLY_SHARE
    if query.form("asks_city"):
        return NO_CITY
    return NO_TYPE[query.answer_type]


def vetoes(query: Query) -> bool:
    """A sentence without the kind refuses only a question whose form demands the kind
    (``forms``: "in which city" does; bare "where" is answered by "online")."""
    return query.strict
