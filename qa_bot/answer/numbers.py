"""The numbers and code names a question gives, and the numbers a text states: a passage
that never states a question's year, reference or name from code does not answer it ("in
2024", "version 2", "numpy.ma.multiply"); nor does a sentence without a number answer one
asked ("which version", "what port number", "the maximum line length")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa_bot.answer.query import Query
    from qa_bot.types import Sentence

_NUMBER = re.compile(r"(?<![\w.,/])\d+(?:[.,/]\d+)*(?![\w/])")
_SLASH_DATE = re.compile(r"\d{1,2}/\d{1,2}/(\d{4})")


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
    r"\b(?P<word>version|v\.|release|article|section|chapter|§|resolution|paragraph|clause"
    r"|part|no\.|number|rule|phase|season|episode|volume|vol\.|book|act|level|stage|series"
    r"|generation)\s*(?P<number>\d+(?:\.\d+)*)(?![\w.]?\d)",
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


# "Which version of Tcl/Tk ...?", "What port number ...?" asks for a number: "there are
# currently problems with Tcl/Tk" and "a well-known port for the ExecBinding protocol" state
# none, and a date ("Version 2.0, January 2004") is no version. A version of a common thing
# ("which version of the theme", "what version of Frédéric's birth name") may be told in
# words: a determiner and a lower-case word, or a possessive, after "of" is not judged.
_NUMBERED_ASKED = re.compile(
    r"\b(?:which|what) (?:[\w-]+ )?(?:versions? of (?!(?:the|a|an|his|her|its|their) (?-i:[a-z]))"
    r"(?![^?]*['’]s\b)|number\b(?! of\b))",
    re.I,
)
_NUMERAL = re.compile(r"[\w.]*\d[\w.]*")
# "What is the default maximum line length ...?": a measure is a number, in figures or words.
_MEASURE_ASKED = re.compile(
    r"^\s*what (?:is|was|are|were|will be) (?:the|its|their) (?:[\w-]+ ){0,3}?(?:length|size"
    r"|width|height|depth|limit|capacity|weight|speed|distance|population|temperature"
    r"|elevation|altitude|diameter|volume)\b",
    re.I,
)
_AMOUNTS = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")


def unnumbered(query: Query, sentence: Sentence) -> bool:
    """Does the question ask for a version or a number that the sentence does not state (a
    numeral outside its dates that the question does not give)? A measure asked is also
    stated by an amount the NER finds ("three million")."""
    measure = _MEASURE_ASKED.search(query.text) is not None
    if measure and any(label in _AMOUNTS for label, *_ in sentence.entities):
        return False
    if not measure and not _NUMBERED_ASKED.search(query.text):
        return False
    given = set(_NUMERAL.findall(query.text))
    dates = [(start, end) for label, start, end, *_ in sentence.entities if label == "DATE"]
    return not any(
        found.group() not in given and not any(a <= found.start() < b for a, b in dates)
        for found in _NUMERAL.finditer(sentence.text)
    )
