"""Dates in answers: a section's date line dates the items under it, and a point in time
is no length of time.

Release notes and changelogs state a release's date once, on a line of its own
("*Release date: 15-Aug-2000*"), above items that hold no date ("- First project tarball
released."). Asked when such an item happened, the bot quotes the item together with the
date line above it, as one verbatim span, instead of refusing it for want of a date.

"How long did the IDLEfork project run before it was merged?" is not answered by "merged
... in 2003": a year or a day is a point in time, unless a length starts there ("since").
"""

from __future__ import annotations

import re

from qa_bot.index.load import Index
from qa_bot.types import Sentence

# How far above an item its section's date line may stand, in passages between them: the
# quote runs from the date line down to the item, so a farther item would be quoted with
# every item before it. A demand on the quote's length, not a fitted number.
REACH = 3
# A date line is a date and at most a short label before or after it.
_LABEL = re.compile(
    r"(?:(?:release|released|publication|published|updated|last updated|revised|revision"
    r"|date|dated)\b(?: \w+){0,2})?",
    re.I,
)
_LONGEST = 80  # characters: a date line is short, or it says more than a date


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


# A month's name, full or short ("Aug", "Sept."), for the date patterns here and in quotes.py.
MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\.?|january|february|march"
    r"|april|june|july|august|september|october|november|december"
)
# A date that is a point in time: a year, a day, a month of a year ("2003", "May 12, 2008").
_POINT = re.compile(
    rf"(?:the )?(?:(?:early|late|mid)[ -])?(?:\d{{1,2}} )?(?:(?:{MONTH}) )?(?:\d{{1,2}},? )?"
    rf"\d{{4}}s?|(?:{MONTH}) \d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}} (?:{MONTH})"
    r"|today|yesterday|tomorrow",
    re.I,
)
_LENGTH_STARTS = re.compile(r"\b(?:since|from|between)\s*$", re.I)


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
