"""What a follow-up leans on: the person the last answer named or quoted, whom "she" or "his"
means, and the sentences it showed, which "What else did she say?" does not get again."""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx
from qa_bot.answer.lexicon import alt
from qa_bot.index.load import Index
from qa_bot.types import Answer

_PERSONAL = re.compile(rf"\b{alt(lx.PERSONAL_PRONOUNS)}\b", re.I)
# A person's name as an answer phrase: "Ms. Delphine Schantz", "Philemon Yang".
_A_NAME = re.compile(
    r"(?:(?:H\.E\.|Mr|Ms|Mrs|Dr|Prof)\.?\s+)*[A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+){1,3}"
)


def leans_on_a_person(question: str) -> bool:
    """Does the question hold a pronoun that stands for one person?"""
    return _PERSONAL.search(question) is not None


def follows(index: Index, last: Answer) -> tuple[str, frozenset[int]]:
    """The person the last answer named (its answer phrase: "Who moderated the panel?" -
    "Ms. Delphine Schantz") or else quoted (its first quote's speaker), and the sentences
    its quotes hold; ("", nothing) when it answered nothing."""
    if not last.found or not last.quotes:
        return "", frozenset()
    first = last.quotes[0]
    named = first.answer_phrase if _A_NAME.fullmatch(first.answer_phrase) else ""
    shown = frozenset(
        s.id
        for quote in last.quotes
        for s in index.sentences_of(quote.document)
        if quote.start <= s.start and s.end <= quote.end
    )
    return named or first.speaker or "", shown


def earlier_questions(history: object) -> list[str]:
    """Earlier questions as a list of strings, whatever a caller over HTTP sent."""
    if isinstance(history, str):
        return [history]
    if not isinstance(history, list | tuple):
        return []
    return [h for h in history if isinstance(h, str)]
