"""The asked subject's qualifier: a thing the question qualifies by a name is that thing.

"Which Russian oligarchs did the United States designate?" is not answered by "the United
States designated two Moldovan oligarchs", nor "Which Asian countries ...?" by "African
countries". One mechanism for every question form: a noun the question qualifies by a
capitalised word ("Russian oligarchs", "Apple products") is, in the sentence, qualified by
another capitalised word (the entity reader is no help: it reads "Moldovan" as a person),
and the question's qualifier is nowhere in the sentence. A sentence that speaks of the noun
unqualified, or qualified both ways, is left to the other checks.
"""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx
from qa_bot.answer.facts import Facts
from qa_bot.answer.query import Query
from qa_bot.text import STOPWORDS

# A capitalised word after a determiner, a number or a preposition, then a lowercase word:
# "which Russian oligarchs", "the Chinese government" (not "did Beyonce meet").
_BEFORE = (*lx.WHICH, *lx.ARTICLES, *lx.DEMONSTRATIVES, *lx.POSSESSIVES, *lx.NUMBER_WORDS,
           *lx.QUANTIFIERS, *lx.LEAD_PREPOSITIONS, *lx.DESCRIBING_PREPOSITIONS)  # fmt: skip
_QUALIFIED = re.compile(rf"\b(?i:{lx.alt(_BEFORE)})\s+([A-Z][a-z]+)\s+([a-z][a-z\-]{{2,}})\b")
# Not at the sentence's start: any capitalised word before the noun ("two Moldovan ...").
_NAMED = re.compile(r"(?<=\s)([A-Z][a-z]+)\s+([a-z][a-z\-]{2,})\b")
_NOT_NOUNS = STOPWORDS | frozenset(
    w.lower() for w in (*lx.SPEECH_VERBS, *lx.DO, *lx.HAVE, *lx.BE, *lx.WILL, *lx.MODALS)
)


def _pairs(question: str) -> list[tuple[str, str]]:
    """The (qualifier, noun) pairs of the question: "Russian oligarchs"."""
    return [
        (m.group(1), m.group(2))
        for m in _QUALIFIED.finditer(question)
        if m.group(2) not in _NOT_NOUNS and not m.group(2).endswith("ly")
    ]


def _singular(word: str) -> str:
    """The word without a plural's ending: "countries" - "country", "oligarchs" - "oligarch"
    (not a stem: "recordings" is no "record")."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def lacks_qualifier(query: Query, facts: Facts) -> str:
    """ "it speaks of Moldovan oligarchs, not Russian oligarchs", else ""."""
    text = facts.sentence.text
    for qualifier, noun in _pairs(query.typed):
        if re.search(rf"\b{re.escape(qualifier)}\b", text, re.I):
            continue
        root = _singular(noun)
        for m in _NAMED.finditer(text):
            if _singular(m.group(2)) == root and not query.names(m.group(1)):
                return f"it speaks of {m.group(1)} {m.group(2)}, not {qualifier} {noun}"
    return ""
