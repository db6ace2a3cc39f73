"""Dates in sentences: a section's date line dates the items under it, a point in time is no
length of time, and a length or a frequency is no date.

Release notes and changelogs state a release's date once, on a line of its own
("*Release date: 15-Aug-2000*"), above items that hold no date ("- First project tarball
released."). Asked when such an item happened, the bot quotes the item together with the
date line above it, as one verbatim span, instead of refusing it for want of a date.

"How long did the IDLEfork project run before it was merged?" is not answered by "merged
... in 2003": a year or a day is a point in time, unless a length starts there ("since").
"""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx
from qa_bot.answer.lexicon import alt, either, plural
from qa_bot.index.load import Index
from qa_bot.types import Sentence

# How far above an item its section's date line may stand, in passages between them: the
# quote runs from the date line down to the item, so a farther item would be quoted with
# every item before it. A demand on the quote's length, not a fitted number.
REACH = 3
# A date line is a date and at most a short label before or after it.
_LABEL = re.compile(rf"(?:{alt(lx.DATE_LINE_LABELS)}\b(?: \w+){{0,2}})?", re.I)
_LONGEST = 80  # characters: a date line is short, or it says more than a date

# A month's name, full or short ("Aug", "Sept."), case aside.
MONTH = rf"{alt(lx.MONTH_ABBREVIATIONS)}\.?|{either(lx.MONTHS)}"
# A date that is a point in time: a year, a day, a month of a year ("2003", "May 12, 2008").
_POINT = re.compile(
    rf"(?:the )?(?:(?:early|late|mid)[ -])?(?:\d{{1,2}} )?(?:(?:{MONTH}) )?(?:\d{{1,2}},? )?"
    rf"\d{{4}}s?|(?:{MONTH}) \d{{1,2}}{alt(lx.ORDINAL_SUFFIXES)}?|\d{{1,2}} (?:{MONTH})"
    rf"|{either(lx.POINT_WORDS)}",
    re.I,
)
_LENGTH_STARTS = re.compile(rf"\b{alt(lx.LENGTH_STARTS)}\s*$", re.I)
# A length of time, an age or a frequency ("the past 15 years", "one year", "6-year-old",
# "annually"), which the NER labels as a date, does not say when something happened.
_SPAN_OF_TIME = re.compile(
    rf"(?:^|\s){alt(tuple(plural(unit) for unit in lx.TIME_UNITS))}$"
    rf"|^(?:a|one|\d+)[ -]{alt(lx.TIME_UNITS)}$|^{alt(lx.FREQUENCIES)}$"
    rf"|{alt(lx.TIME_UNITS)}s?[ -]old$",  # an age: "a 6-year-old company"
    re.I,
)
# A year the NER misses: "(r. 1521-1567)", "(907-960)".
_YEAR = re.compile(r"(?<![\d.,/])\d{3,4}(?![\d/]|[.,]\d)")
# A day of the month ("March 26th", "the 5th of May"): an ordinal that counts nothing.
_DAY_OF_MONTH = re.compile(
    rf"\b(?:{MONTH})\s+\d{{1,2}}{alt(lx.ORDINAL_SUFFIXES)}\b|\b\d{{1,2}}{alt(lx.ORDINAL_SUFFIXES)}\s+(?:of\s+)?(?:{MONTH})\b",
    re.I,
)


def date_of_line(sentence: Sentence) -> tuple[int, int] | None:
    """The offsets of the date in ``sentence`` when the sentence is a date line: a date
    with at most a short label ("Release date: 15-Aug-2000", "Updated 3 May 2001")."""
    if len(sentence.text) > _LONGEST:
        return None
    for label, start, end, *_ in sentence.entities:
        if label != "DATE":
            continue
        rest = re.sub(r"[\W_]+", " ", f"{sentence.text[:start]} {sentence.text[end:]}").strip()
        if _LABEL.fullmatch(rest):
            return start, end
    return None


def dating_line(index: Index, sentence: Sentence) -> int | None:
    """The id of the date line that dates ``sentence``: the nearest passage above it in
    the same section (at most REACH passages between) that is one date line; None when
    the section has none there."""
    passage = index.passages[sentence.passage_id]
    for pid in range(passage.id - 1, max(-1, passage.id - 2 - REACH), -1):
        above = index.passages[pid]
        if above.document != passage.document or above.section != passage.section:
            return None
        if len(above.sentence_ids) == 1 and date_of_line(index.sentences[above.sentence_ids[0]]):
            return above.sentence_ids[0]
    return None


def lengths_of_time(
    sentence: Sentence, typed: dict[tuple[int, int], str]
) -> dict[tuple[int, int], str]:
    """``typed`` without its points in time, unless a length starts there ("since 2003")."""
    text = sentence.text
    return {
        (a, b): v
        for (a, b), v in typed.items()
        if a < 0 or not _POINT.fullmatch(text[a:b]) or _LENGTH_STARTS.search(text[:a])
    }


def points_in_time(
    sentence: Sentence, typed: dict[tuple[int, int], str]
) -> dict[tuple[int, int], str]:
    """``typed`` without its lengths of time and frequencies ("over the past 15 years")."""
    return {k: v for k, v in typed.items() if not _SPAN_OF_TIME.search(sentence.text[k[0] : k[1]])}


def years(text: str) -> list[str]:
    """The numbers of three or four digits that stand alone in ``text`` (years the NER may
    miss: "(r. 1521-1567)")."""
    return _YEAR.findall(text)


def days_of_month(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a day of the month ("March 26th", "the 5th of May")."""
    return [found.span() for found in _DAY_OF_MONTH.finditer(text)]
