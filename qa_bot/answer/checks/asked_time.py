"""The time asked: a month or a year the question sets is the time the sentence speaks of.

"What was the unemployment rate for adult women in July?" is not answered by "The jobless
rates for adult men (4.0 percent), adult women (3.5 percent) ... showed little change in
August", nor "How many jobs did hospitals add in July?" by "Over the month, ... hospitals
(+8,000) added jobs." under a paragraph about August. One mechanism for every question
form: the months (and years) the question names as times are compared with those the
sentence names, or, when the sentence names none, with those of its passage, heading and
title. Where neither names a time of that kind, nothing is known and nothing is refused.

Not a time the question sets: a year or a month that is part of a name ("the 2030 Agenda",
"the October Revolution": followed by a capitalised word; a sentence's own years and months
count however they stand, "the 2013 Met Gala"), and a verb or a modal spelled like a month ("May", "March" count only beside a day, a year or a
preposition of time). A span the question gives ("between 1990 and 1995", "the 1990s")
holds every year in it; so does a span the sentence gives ("2012-2014"). A day the question
sets ("the September 29, 2023 briefing") is a day that the sentence, its heading or its
title names in that month ("September 28, 2023"); not its passage's other days, which are
of other things, and the record's own day counts beside the sentence's ("convened at 9:31
a.m. ... until Monday, May 23" in the digest of May 20).
"""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx
from qa_bot.answer.facts import Facts
from qa_bot.answer.lexicon import alt, either
from qa_bot.answer.query import Query

_MONTH = re.compile(rf"\b({either(lx.MONTHS)})\b")
# "May" and "March" are also a modal and a verb: a month only beside a date or a time word.
_AMBIGUOUS = {"May", "March"}
_TIME_BEFORE = re.compile(rf"(?:\b{alt(lx.LEAD_PREPOSITIONS)}|,)\s*$", re.I)
_DAY_OR_YEAR_AFTER = re.compile(r"^\s+\d")
# A year (or a decade: "the 1990s"; a century: "the 1700s"); in a question, not one that
# is part of a name ("the 2030 Agenda"), which a sentence may name in passing.
_A_YEAR = r"(1[5-9]\d\d|20\d\d)"
_YEAR = re.compile(rf"(?<![\d.,/$#]){_A_YEAR}(s)?(?![\d%]|[.,]\d)")
_NAME_AFTER = re.compile(r"\s+(?!(?:" + either(lx.MONTHS) + r")\b)[A-Z][a-z]")
_SPAN = re.compile(
    rf"(?:between|from)\s+{_A_YEAR}\s+(?:and|to|until|through)\s+{_A_YEAR}"
    rf"|{_A_YEAR}\s*[-–—]\s*(1[5-9]\d\d|20\d\d|\d\d)\b",
    re.I,
)


def months(text: str, names: bool = True) -> set[str]:
    """The months ``text`` names as times (never "may" or "march" away from a date); with
    ``names`` false, not one that is part of a name ("the October Revolution")."""
    out = set()
    for found in _MONTH.finditer(text):
        name = found.group(1)
        if not names and _NAME_AFTER.match(text, found.end()):
            continue
        if name in _AMBIGUOUS and not (
            _TIME_BEFORE.search(text[: found.start()])
            or _DAY_OR_YEAR_AFTER.match(text[found.end() :])
        ):
            continue
        out.add(name)
    return out


_SUFFIX = f"(?:{alt(lx.ORDINAL_SUFFIXES)})?"
_DAY = re.compile(
    rf"\b({either(lx.MONTHS)})\.?\s+([0-3]?\d){_SUFFIX}\b(?!\s*(?:%|percent|[-–:]\d))"
    rf"|\b([0-3]?\d){_SUFFIX}\s+(?:of\s+)?({either(lx.MONTHS)})\b"
)


def days(text: str) -> set[tuple[str, int]]:
    """The days ``text`` names by month and day ("September 28", "28 September")."""
    out = set()
    for found in _DAY.finditer(text):
        month, day = (found.group(1), found.group(2)) if found.group(1) else found.group(4, 3)
        if 1 <= int(day) <= 31:
            out.add((month, int(day)))
    return out


def years(text: str, names: bool = True) -> set[int]:
    """The years ``text`` names, every year of a span, a decade or a century it names; with
    ``names`` false, not a year that is part of a name ("the 2030 Agenda")."""
    out: set[int] = set()
    for found in _SPAN.finditer(text):
        first = int(found.group(1) or found.group(3))
        last_text = found.group(2) or found.group(4)
        last = int(last_text) if len(last_text) == 4 else first // 100 * 100 + int(last_text)
        if first <= last <= first + 200:
            out.update(range(first, last + 1))
    for found in _YEAR.finditer(text):
        if not names and _NAME_AFTER.match(text, found.end()):
            continue
        year = int(found.group(1))
        span = (100 if year % 100 == 0 else 10) if found.group(2) else 1
        out.update(range(year, year + span))
    return out


def lacks_time(query: Query, facts: Facts) -> str:
    """ "it is about August, not July" when the month or the year the question sets is not
    the one the sentence (or, when it names none, its passage) speaks of."""
    asked_months = months(query.text, names=False)
    asked_years = years(query.text, names=False)
    if not asked_months and not asked_years:
        return ""
    sentence = facts.sentence.text
    if asked_months:
        stated = months(sentence) or months(facts.where)
        if stated and not stated & asked_months:
            return _reason(
                sorted(stated, key=lx.MONTHS.index), sorted(asked_months, key=lx.MONTHS.index)
            )
        asked_days = days(query.text)
        passage = facts.passage
        heading = f"{passage.section} {passage.title}" if passage else ""
        # The record's own day (its heading or title) counts beside the sentence's: "Senate
        # convened at 9:31 a.m. ... until Monday, May 23" is in the digest of May 20.
        stated_days = days(sentence) | days(heading)
        same_month = {d for d in stated_days if d[0] in {m for m, _ in asked_days}}
        if asked_days and same_month and not same_month & asked_days:
            shown = [f"{m} {d}" for m, d in sorted(same_month, key=lambda d: d[1])]
            return _reason(shown, [f"{m} {d}" for m, d in sorted(asked_days)])
    if asked_years:
        stated_years = years(sentence) or years(facts.where)
        if stated_years and not stated_years & asked_years:
            typed = [m.group(0) for m in _YEAR.finditer(query.text)]
            return _reason([str(y) for y in sorted(stated_years)], typed or ["the year asked"])
    return ""


def _reason(stated: list[str], asked: list[str]) -> str:
    said = " and ".join(stated[:2]) + (" ..." if len(stated) > 2 else "")
    return f"it is about {said}, not {' or '.join(asked[:2])}"
