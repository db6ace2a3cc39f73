"""Numbers and names from code in text: the ones a question gives, which a passage must
state to answer it ("in 2024", "version 2", "numpy.ma.multiply"), and the ones a text
states. Plain text functions: no question analysis, no index."""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx

_NUMBER = re.compile(r"(?<![\w.,/])\d+(?:[.,/]\d+)*(?![\w/])")
_SLASH_DATE = re.compile(r"\d{1,2}/\d{1,2}/(\d{4})")
# Any word with a digit in it ("v2", "5322", "2.0").
NUMERAL = re.compile(r"[\w.]*\d[\w.]*")


def stated_numbers(text: str) -> tuple[str, ...]:
    """The numbers written in digits in ``text`` ("2024", "2.0", "79/286"), thousands
    separators dropped ("40,000" -> "40000") and a date such as 2/21/2016 read as its year
    (the text may write "21 February 2016"), in order, each once."""
    return tuple(dict.fromkeys(_plain_number(n) for n in _NUMBER.findall(text)))


def _plain_number(number: str) -> str:
    date = _SLASH_DATE.fullmatch(number)
    return date.group(1) if date else re.sub(r"(?<=\d),(?=\d{3}\b)", "", number)


def _specific(number: str) -> bool:
    """A year, a version, a reference or a large count: a number a text writes in digits.
    (Small counts are often words in the answer: "at age 7" / "at age seven", "which 3
    musicians". Measured on the SQuAD articles: requiring every number turned away 29
    unanswerable questions for 27 right answers; these only, 12 for 10.)"""
    return not number.isdigit() or len(number) >= 3


# A number that names what it follows is a reference, however small: "version 2", "Article
# 5", "No. 2", "season 3" (a text writes it in digits; "Version 3" does not say version 2).
REFERENCE_NUMBER = re.compile(
    rf"\b(?P<word>{lx.either(lx.REFERENCE_WORDS)})\s*(?P<number>\d+(?:\.\d+)*)(?![\w.]?\d)",
    re.I,
)


def asked_numbers(text: str) -> tuple[str, ...]:
    """The numbers of a question that a passage must state to answer it: years, versions,
    large counts, and any number a reference word names."""
    referenced = {found.group("number") for found in REFERENCE_NUMBER.finditer(text)}
    return tuple(n for n in stated_numbers(text) if _specific(n) or n in referenced)


def as_typed(question: str, number: str) -> str:
    """A number of the question as the user named it: "version 2", not "2"."""
    for found in REFERENCE_NUMBER.finditer(question):
        if found.group("number") == number:
            return found.group(0)
    return number


# A name from code names one thing exactly: "numpy.ma.multiply", "sys.path", "fill_value".
# Each dotted part has two characters or more, so that "U.S." is no name.
_CODE_NAME = re.compile(r"(?<![\w.])(?:[A-Za-z_]\w+(?:\.[A-Za-z_]\w+)+|\w+_\w+)(?![\w.]?\w)")


def asked_code_names(text: str) -> tuple[str, ...]:
    """The names from code a question gives ("How long does numpy.ma.multiply take?"),
    which a passage must write to answer it: "numpy.ma.divide : 2.69 ms per loop" does not."""
    return tuple(dict.fromkeys(_CODE_NAME.findall(text)))
