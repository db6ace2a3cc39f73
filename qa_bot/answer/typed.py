"""Which entities of a sentence can answer the kind of thing a question asks.

Entities are found once, at build time (``ingest/entities.py``), each with its clause. A
question asking a date is answered by a DATE entity the question does not give itself; a
share also by a cardinal worded as one ("one-third"); an amount of money by a cardinal and
its currency ("40,000 euros", which the NER labels as the number alone); a length by a
number and its unit ("at most 25 words").
"""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx
from qa_bot.answer.lexicon import alt
from qa_bot.answer.query import Query
from qa_bot.types import Sentence

# A cardinal followed by a currency ("40,000 euros") is an amount of money.
_CURRENCY = re.compile(rf"\s*{alt(lx.CURRENCIES)}\b", re.I)
_LENGTH = re.compile(rf"\s*{alt(lx.LENGTH_UNITS)}\b", re.I)
# A number and a unit of time the NER leaves a bare number: "2.69 ms per loop".
_TIME_UNIT = re.compile(rf"\s*{alt(lx.TIME_SYMBOLS)}\b", re.I)
# A cardinal that states a share ("one-third", "half of", "40 per cent", "one out of ten").
_SHARE = re.compile(rf"\b{alt(lx.FRACTIONS, lx.SHARE_MARKERS)}\b|%", re.I)
_SHARE_REACH = 9  # characters after a cardinal where its share word may stand
COUNTRY_LABELS = ("GPE", "NORP")
CITY_LABELS = ("GPE",)  # a city is a geopolitical entity; a region or a building is not


def typed_entities(query: Query, sentence: Sentence, dated: str = "") -> dict[tuple[int, int], str]:
    """The entities of the sentence that can answer the question, by their offsets in the
    sentence text, each with the text of its clause. Entities the question itself names
    don't count ("In 2024, how much ..." is not answered by "2024"). For a person or an
    organisation, the sentence's speaker line counts too (offsets (-1, -1)): "Ms. X,
    Director of Y" names both. ``dated``: what the sentence dates when it is a document's
    date line (Index.dateline_subject), part of every clause: "30 June 2025, United
    Nations Headquarters, New York" says when and where the hearing was."""
    if not query.labels:
        return {}
    labels = CITY_LABELS if query.form("asks_city") else query.labels
    found: dict[tuple[int, int], str] = {}
    for label, start, end, c_start, c_end in sentence.entities:
        text = sentence.text[start:end]
        if label not in labels and not _also_answers(query, label, sentence.text, start, end):
            continue
        if query.names(text):
            continue
        currency = _CURRENCY.match(sentence.text, end) if label == "CARDINAL" else None
        if currency and query.answer_type == "money":
            end = currency.end()  # the phrase is the amount with its currency
        clause = sentence.text[c_start : max(c_end, end)]
        found[(start, end)] = f"{dated}: {clause}" if dated else clause
    person_or_org = query.answer_type in ("person", "organisation")
    if person_or_org and sentence.speaker and not query.names(sentence.speaker):
        found[(-1, -1)] = f"{sentence.speaker} {sentence.text}"
    return found


def _also_answers(query: Query, label: str, text: str, start: int, end: int) -> bool:
    """A cardinal that states a share ("one-third", "40 per cent") or an amount of money
    ("40,000 euros"); for "how long is X", a length ("300 km", a quantity to the NER, or
    "at most 25 words", a number and its unit); for any other duration, a number and its
    unit of time ("2.69 ms")."""
    if query.answer_type == "duration" and query.form("length"):
        return label == "QUANTITY" or (label == "CARDINAL" and bool(_LENGTH.match(text, end)))
    if label != "CARDINAL":
        return False
    if query.answer_type == "duration":
        return bool(_TIME_UNIT.match(text, end))
    if query.answer_type == "share":
        return states_share(text, start, end)
    return query.answer_type == "money" and bool(_CURRENCY.match(text, end))


def states_share(text: str, start: int, end: int) -> bool:
    """Is the cardinal at ``start``-``end`` worded as a share ("one-third", "40 per cent")?"""
    return bool(_SHARE.search(text, start, min(len(text), end + _SHARE_REACH)))


def shares(sentence: Sentence) -> list[tuple[int, int]]:
    """The offsets of the shares the sentence states: its percentages, and its cardinals
    worded as shares ("one-third", "one out of ten")."""
    return [
        (start, end)
        for label, start, end, *_ in sentence.entities
        if label == "PERCENT" or (label == "CARDINAL" and states_share(sentence.text, start, end))
    ]


def percentages(sentence: Sentence) -> set[tuple[int, int]]:
    """The offsets of the sentence's PERCENT entities."""
    return {(start, end) for label, start, end, *_ in sentence.entities if label == "PERCENT"}


def countries(query: Query, sentence: Sentence) -> dict[tuple[int, int], str]:
    """The countries and nationalities the sentence names and the question does not, by
    their offsets, each with the text of its clause (as ``typed_entities``)."""
    return {
        (start, end): sentence.text[c_start : max(c_end, end)]
        for label, start, end, c_start, c_end in sentence.entities
        if label in COUNTRY_LABELS and not query.names(sentence.text[start:end])
    }
